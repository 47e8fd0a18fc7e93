"""What a feed pull gives back, how it fails, and the size limit every body is held to.

Shared by the transports (`http_pull`, `file_pull`) and `fetching.fetch`; no Django here.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from citysoc import __version__

MAX_REDIRECTS = 5
MAX_BYTES_SETTING = "FEED_MAX_MB"
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
DEFAULT_USER_AGENT = f"citysoc/{__version__}"
GZIP_MAGIC = b"\x1f\x8b"


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


def too_large(url: str, max_bytes: int, detail: str) -> FetchError:
    return FetchError(
        f"{url} is larger than the limit of {max_bytes:,} bytes ({detail}). If the feed "
        f"really is this big, raise {MAX_BYTES_SETTING}.",
        url=url,
        kind="too_large",
    )


# ---- gzip ------------------------------------------------------------------------------


def gunzip(data: bytes, url: str, max_bytes: int) -> bytes:
    """Decompress a .gz body, stopping as soon as the output passes max_bytes."""
    out: list[bytes] = []
    total = 0
    remaining = data
    try:
        # A .gz file may hold several members one after the other (cat a.gz b.gz).
        while remaining.startswith(GZIP_MAGIC):
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            pending = remaining
            while pending and not inflater.eof:
                piece = inflater.decompress(pending, max_bytes + 1 - total)
                total += len(piece)
                if total > max_bytes:
                    raise too_large(url, max_bytes, "after decompressing the .gz file")
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
