"""Pull a feed URL on a schedule: conditional GET, a size limit, gzip, and file:// folders.

No Django here: the task worker passes the source's stored ETag, Last-Modified and checksum
and the settings (`FEED_MAX_MB`, timeout, TLS bundle) as arguments, and stores
what comes back. Every failure is a `FetchError` whose message is written for the operator:
what failed, for which URL, and what to check.

The transports are `http_pull` and `file_pull`; what they return and raise is in `results`.
They never import this module: `fetch` chooses between them.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from citysoc.intel.fetching.file_pull import fetch_file
from citysoc.intel.fetching.http_pull import fetch_http
from citysoc.intel.fetching.results import (
    DEFAULT_MAX_BYTES,
    DEFAULT_USER_AGENT,
    MAX_BYTES_SETTING,
    MAX_REDIRECTS,
    FetchError,
    FetchResult,
)
from citysoc.lib.outbound import OutboundPolicy

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_USER_AGENT",
    "MAX_BYTES_SETTING",
    "MAX_REDIRECTS",
    "FetchError",
    "FetchResult",
    "fetch",
    "redact_url",
    "staleness",
]


def fetch(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    previous_sha256: str = "",
    timeout: float = 30.0,
    max_bytes: int = DEFAULT_MAX_BYTES,
    user_agent: str = DEFAULT_USER_AGENT,
    verify_tls: bool | str = True,
    outbound: OutboundPolicy | None = None,
) -> FetchResult:
    """Pull `url` (http, https or file) and say whether it changed since the last pull.

    `etag` and `last_modified` are the values stored from the previous pull and are sent as
    If-None-Match / If-Modified-Since. `timeout` applies to connecting and to each read.
    `verify_tls` is True, False, or the path of a CA bundle for a publisher with a private CA.
    A proxy is taken from HTTPS_PROXY / HTTP_PROXY / NO_PROXY in the worker's environment.
    `outbound` says which private addresses may be reached (default: none; loopback and
    link-local never; see citysoc.lib.outbound); each connection and redirect is checked.
    """
    scheme = urlsplit(url).scheme.lower()
    started = time.monotonic()
    try:
        if scheme in ("http", "https"):
            result = fetch_http(
                url,
                etag=etag,
                last_modified=last_modified,
                timeout=timeout,
                max_bytes=max_bytes,
                user_agent=user_agent,
                verify_tls=verify_tls,
                outbound=outbound or OutboundPolicy(),
            )
        elif scheme == "file":
            result = fetch_file(url, max_bytes=max_bytes)
        else:
            raise FetchError(
                f"'{url}' is not an http://, https:// or file:// address; "
                "correct the feed URL in the source settings.",
                url=url,
                kind="url",
            )
    except FetchError as exc:
        raise _redacted(exc, url) from exc.__cause__
    result.elapsed = time.monotonic() - started
    if result.status == "new" and previous_sha256 and result.sha256 == previous_sha256:
        # Many feeds send no ETag and a fresh Last-Modified on every request; the checksum
        # is what tells the worker not to create an identical list version.
        result.status = "not_modified"
        result.body = None
    return result


_SECRET_PARAMS = ("key", "token", "auth", "secret", "pass", "sig")


def redact_url(url: str) -> str:
    """The URL without a password or API-key query values, for messages and logs."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return url
    netloc = parts.netloc
    if password is not None:
        netloc = netloc.replace(f":{password}@", ":***@", 1)
    query = "&".join(
        f"{name}=***" if any(word in name.lower() for word in _SECRET_PARAMS) else pair
        for pair in parts.query.split("&")
        if pair
        for name in [pair.split("=", 1)[0]]
    )
    return parts._replace(netloc=netloc, query=query).geturl()


def _redacted(exc: FetchError, url: str) -> FetchError:
    # The message is stored on the source and shown on pages: never repeat a password.
    shown = redact_url(url)
    if shown == url:
        return exc
    return FetchError(
        str(exc).replace(url, shown), url=shown, kind=exc.kind, http_status=exc.http_status
    )


def staleness(last_new: datetime | None, now: datetime, expected_every: timedelta) -> str:
    """'never' (no version yet), 'late' (nothing new for over twice the interval) or 'ok'."""
    if expected_every <= timedelta(0):
        raise ValueError("expected_every must be a positive interval")
    if last_new is None:
        return "never"
    if now - last_new > 2 * expected_every:
        return "late"
    return "ok"
