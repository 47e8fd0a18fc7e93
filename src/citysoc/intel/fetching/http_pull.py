"""Pull over http(s): conditional GET, redirects checked against the outbound policy, a
streamed size limit, gzip, and an explanation of every failure written for the operator."""

from __future__ import annotations

import hashlib
import logging
import re
from urllib.parse import urlsplit

import requests
import urllib3.exceptions

from citysoc.intel.fetching.results import (
    GZIP_MAGIC,
    MAX_REDIRECTS,
    FetchError,
    FetchResult,
    gunzip,
    too_large,
)
from citysoc.lib.outbound import OutboundPolicy, OutboundRefused, session

logger = logging.getLogger(__name__)

_CHUNK = 64 * 1024
_GZIP_TYPES = ("application/gzip", "application/x-gzip")


def fetch_http(
    url: str,
    *,
    etag: str,
    last_modified: str,
    timeout: float,
    max_bytes: int,
    user_agent: str,
    verify_tls: bool | str,
    outbound: OutboundPolicy,
) -> FetchResult:
    headers = {"User-Agent": user_agent}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    with session(outbound) as guarded:
        guarded.max_redirects = MAX_REDIRECTS
        try:
            response = guarded.get(
                url,
                headers=headers,
                timeout=(timeout, timeout),
                stream=True,
                verify=verify_tls,
                allow_redirects=True,
            )
        except OutboundRefused as exc:
            raise FetchError(
                f"{url} was not pulled: {exc.reason}. A feed on a private address must be "
                "listed in OUTBOUND_ALLOW.",
                url=url,
                kind="refused",
            ) from None
        except requests.RequestException as exc:
            raise _request_error(exc, url, timeout) from exc
        with response:
            return _read_response(response, url, etag, last_modified, timeout, max_bytes)


def _read_response(
    response: requests.Response,
    url: str,
    etag: str,
    last_modified: str,
    timeout: float,
    max_bytes: int,
) -> FetchResult:
    status = response.status_code
    # A 304 may omit the validators; keep the ones we sent so the source does not lose them.
    result = FetchResult(
        status="not_modified",
        body=None,
        etag=response.headers.get("ETag", "") or etag,
        last_modified=response.headers.get("Last-Modified", "") or last_modified,
        sha256="",
        final_url=response.url,
        http_status=status,
        content_type=response.headers.get("Content-Type", ""),
        elapsed=0.0,
    )
    if status == 304:
        return result
    if not 200 <= status < 300:
        raise _http_error(status, response.reason, url, response.url)
    body = _read_body(response, url, timeout, max_bytes)
    if _is_gzip_file(response.url, result.content_type) and body.startswith(GZIP_MAGIC):
        body = gunzip(body, url, max_bytes)
    result.status = "new"
    result.body = body
    result.sha256 = hashlib.sha256(body).hexdigest()
    return result


def _read_body(response: requests.Response, url: str, timeout: float, max_bytes: int) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_large(url, max_bytes, f"the server announces {int(declared):,} bytes")
    chunks: list[bytes] = []
    total = 0
    try:
        # iter_content undoes Content-Encoding: gzip, so the limit counts decoded bytes
        # and a small compressed response cannot grow without bound.
        for chunk in response.iter_content(_CHUNK):
            total += len(chunk)
            if total > max_bytes:
                raise too_large(url, max_bytes, "the download went past it")
            chunks.append(chunk)
    except requests.RequestException as exc:
        raise _request_error(exc, url, timeout) from exc
    return b"".join(chunks)


def _is_gzip_file(final_url: str, content_type: str) -> bool:
    path = urlsplit(final_url).path.lower()
    return path.endswith(".gz") or content_type.split(";")[0].strip().lower() in _GZIP_TYPES


def _request_error(exc: requests.RequestException, url: str, timeout: float) -> FetchError:
    # Order matters: SSLError and ConnectTimeout are both ConnectionError subclasses.
    if isinstance(exc, requests.exceptions.SSLError):
        return FetchError(
            f"TLS check failed for {url}: {_reason(exc)}. Check the server's certificate and "
            "this server's clock; for a publisher with a private CA, give the CA bundle file "
            "in the source's TLS setting.",
            url=url,
            kind="tls",
        )
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return FetchError(
            f"Connecting to {url} timed out after {timeout:g} s. Check that this server can "
            "reach the publisher (firewall, proxy, routing) and that the host is up.",
            url=url,
            kind="timeout",
        )
    if isinstance(exc, requests.exceptions.ReadTimeout) or _caused_by(
        exc, urllib3.exceptions.ReadTimeoutError
    ):
        return FetchError(
            f"Reading from {url} timed out: no data for {timeout:g} s. The publisher may be "
            "overloaded; the next pull will try again, or raise the feed timeout.",
            url=url,
            kind="timeout",
        )
    if isinstance(exc, requests.exceptions.TooManyRedirects):
        return FetchError(
            f"{url} redirected more than {MAX_REDIRECTS} times. Open the URL in a browser "
            "and put the final address in the source settings.",
            url=url,
            kind="redirects",
        )
    if isinstance(exc, requests.exceptions.ContentDecodingError):
        return FetchError(
            f"{url} said its body was compressed but it could not be decompressed. "
            "The publisher's server is misconfigured; report it to them.",
            url=url,
            kind="gzip",
        )
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return FetchError(
            f"The connection to {url} broke during the download. The next pull will try again; "
            "if it keeps happening, check the proxy or firewall in between.",
            url=url,
            kind="network",
        )
    if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema)):
        return FetchError(
            f"'{url}' is not a valid feed address ({_reason(exc)}); correct the feed URL.",
            url=url,
            kind="url",
        )
    if _caused_by(exc, urllib3.exceptions.NameResolutionError):
        host = urlsplit(url).hostname or url
        return FetchError(
            f"The name '{host}' in {url} could not be resolved (DNS). Check the spelling of "
            "the URL and this server's DNS settings.",
            url=url,
            kind="dns",
        )
    if isinstance(exc, requests.exceptions.ConnectionError):
        return FetchError(
            f"Could not connect to {url}: {_reason(exc)}. Check that the publisher is up and "
            "that this server can reach it (firewall, proxy).",
            url=url,
            kind="connect",
        )
    return FetchError(f"Pulling {url} failed: {_reason(exc)}.", url=url, kind="network")


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    # requests wraps urllib3's errors (MaxRetryError.reason, args[0], __context__); walk them.
    seen: set[int] = set()
    stack: list[object] = [exc]
    while stack:
        current = stack.pop()
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, kind):
            return True
        stack.extend([*current.args, getattr(current, "reason", None)])
        stack.extend([current.__cause__, current.__context__])
    return False


# urllib3 nests the useful words ("Connection refused", "certificate verify failed: ...")
# inside a long "HTTPConnectionPool(...): Max retries exceeded ..." text; pull them out.
_SHORT_REASONS = (
    re.compile(r"\[SSL: [A-Z_]+\] ([^('\"]+)"),
    re.compile(r"\[Errno -?\d+\] ([^('\"]+)"),
)


def _reason(exc: BaseException) -> str:
    text = str(exc)
    for pattern in _SHORT_REASONS:
        found = pattern.search(text)
        if found:
            return found.group(1).strip().rstrip(".")
    return text if len(text) <= 300 else text[:300] + "…"


_HTTP_HINTS = {
    401: "the publisher wants credentials: check the account or token for this feed",
    403: "the publisher refuses this server: check credentials or its IP allow-list",
    404: "the file is not there: check the URL; the publisher may have moved or renamed it",
    410: "the publisher has withdrawn this file: find its new address",
    429: "the publisher is rate-limiting this server: pull it less often",
}


def _http_error(status: int, reason: str, url: str, final_url: str) -> FetchError:
    if status in _HTTP_HINTS:
        hint = _HTTP_HINTS[status]
    elif status >= 500:
        hint = "the publisher's server has a problem; the next pull will try again"
    else:
        hint = "check the URL in the source settings"
    where = url if final_url == url else f"{url} (redirected to {final_url})"
    return FetchError(
        f"HTTP {status} {reason} from {where}: {hint}.",
        url=url,
        kind="http",
        http_status=status,
    )
