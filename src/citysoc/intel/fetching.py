"""Pull a feed URL on a schedule: conditional GET, a size limit, gzip, and file:// folders.

No Django here: the task worker passes the source's stored ETag, Last-Modified and checksum
and the settings (`FEED_MAX_MB`, timeout, TLS bundle) as arguments, and stores
what comes back. Every failure is a `FetchError` whose message is written for the operator:
what failed, for which URL, and what to check.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import formatdate
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import requests
import urllib3.exceptions

from citysoc import __version__
from citysoc.lib.outbound import OutboundPolicy, OutboundRefused, session

logger = logging.getLogger(__name__)

MAX_REDIRECTS = 5
MAX_BYTES_SETTING = "FEED_MAX_MB"
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
DEFAULT_USER_AGENT = f"citysoc/{__version__}"
_CHUNK = 64 * 1024
_GZIP_MAGIC = b"\x1f\x8b"
_GZIP_TYPES = ("application/gzip", "application/x-gzip")


@dataclass
class FetchResult:
    """What one pull brought back.

    `status` is "new" (a body to import) or "not_modified" (HTTP 304, or a body whose
    checksum equals `previous_sha256`; `body` is then None). `sha256` is of the body after
    decompression and is "" only for a 304. `http_status` is 0 for file:// sources.
    """

    status: str
    body: bytes | None
    etag: str
    last_modified: str
    sha256: str
    final_url: str
    http_status: int
    content_type: str
    elapsed: float


class FetchError(Exception):
    """A pull failed; the message says what failed and what to check.

    `kind` is a short machine word for the failure ("dns", "connect", "timeout", "tls",
    "http", "too_large", "redirects", "gzip", "file", "url", "network", "refused") so the app can
    count or colour failures without parsing the sentence.
    """

    def __init__(self, message: str, *, url: str, kind: str, http_status: int = 0) -> None:
        super().__init__(message)
        self.url = url
        self.kind = kind
        self.http_status = http_status


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
            result = _fetch_http(
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
            result = _fetch_file(url, max_bytes=max_bytes)
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


# ---- http(s) ---------------------------------------------------------------------------


def _fetch_http(
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
    if _is_gzip_file(response.url, result.content_type) and body.startswith(_GZIP_MAGIC):
        body = _gunzip(body, url, max_bytes)
    result.status = "new"
    result.body = body
    result.sha256 = hashlib.sha256(body).hexdigest()
    return result


def _read_body(response: requests.Response, url: str, timeout: float, max_bytes: int) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise _too_large(url, max_bytes, f"the server announces {int(declared):,} bytes")
    chunks: list[bytes] = []
    total = 0
    try:
        # iter_content undoes Content-Encoding: gzip, so the limit counts decoded bytes
        # and a small compressed response cannot grow without bound.
        for chunk in response.iter_content(_CHUNK):
            total += len(chunk)
            if total > max_bytes:
                raise _too_large(url, max_bytes, "the download went past it")
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


def _too_large(url: str, max_bytes: int, detail: str) -> FetchError:
    return FetchError(
        f"{url} is larger than the limit of {max_bytes:,} bytes ({detail}). If the feed "
        f"really is this big, raise {MAX_BYTES_SETTING}.",
        url=url,
        kind="too_large",
    )


# ---- gzip ------------------------------------------------------------------------------


def _gunzip(data: bytes, url: str, max_bytes: int) -> bytes:
    """Decompress a .gz body, stopping as soon as the output passes max_bytes."""
    out: list[bytes] = []
    total = 0
    remaining = data
    try:
        # A .gz file may hold several members one after the other (cat a.gz b.gz).
        while remaining.startswith(_GZIP_MAGIC):
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            pending = remaining
            while pending and not inflater.eof:
                piece = inflater.decompress(pending, max_bytes + 1 - total)
                total += len(piece)
                if total > max_bytes:
                    raise _too_large(url, max_bytes, "after decompressing the .gz file")
                out.append(piece)
                pending = inflater.unconsumed_tail
            if not inflater.eof:
                raise zlib.error("the file ends before the gzip stream does")
            remaining = inflater.unused_data
    except zlib.error as exc:
        raise FetchError(
            f"{url} is not a valid .gz file ({exc}). The download may be cut short, or the "
            "publisher changed the format; download it by hand to check.",
            url=url,
            kind="gzip",
        ) from exc
    return b"".join(out)


# ---- file:// ---------------------------------------------------------------------------


def _fetch_file(url: str, *, max_bytes: int) -> FetchResult:
    """Read a list an officer dropped into a folder on an offline network."""
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise FetchError(
            f"{url} names another machine ({parts.netloc}); a file:// feed must be a folder on "
            "this server, e.g. file:///srv/citysoc/feeds/botnet.csv.",
            url=url,
            kind="url",
        )
    path = Path(url2pathname(unquote(parts.path)))
    try:
        stat = path.stat()
        if not path.is_file():
            raise IsADirectoryError(str(path))
        # Read one byte past the limit: the file may grow between stat() and read().
        with path.open("rb") as handle:
            body = handle.read(max_bytes + 1)
    except FileNotFoundError as exc:
        raise _file_error(
            url,
            path,
            "does not exist",
            "check that the file was copied "
            "into the folder and that the path in the source settings is right",
        ) from exc
    except IsADirectoryError as exc:
        raise _file_error(url, path, "is a folder, not a file", "name the file itself") from exc
    except PermissionError as exc:
        raise _file_error(
            url,
            path,
            "cannot be read (permission denied)",
            "make it readable by the account citysoc runs as",
        ) from exc
    except OSError as exc:
        raise _file_error(url, path, f"cannot be read ({exc.strerror})", "check the disk") from exc
    if len(body) > max_bytes:
        raise _too_large(url, max_bytes, f"the file is {stat.st_size:,} bytes")
    if path.name.lower().endswith(".gz") and body.startswith(_GZIP_MAGIC):
        body = _gunzip(body, url, max_bytes)
    return FetchResult(
        status="new",
        body=body,
        etag="",
        last_modified=formatdate(stat.st_mtime, usegmt=True),
        sha256=hashlib.sha256(body).hexdigest(),
        final_url=url,
        http_status=0,
        content_type="",
        elapsed=0.0,
    )


def _file_error(url: str, path: Path, what: str, todo: str) -> FetchError:
    return FetchError(f"The feed file {path} ({url}) {what}: {todo}.", url=url, kind="file")
