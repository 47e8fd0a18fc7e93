"""Pull from a file:// folder: a list an officer copied onto the server of an offline network."""

from __future__ import annotations

import hashlib
from email.utils import formatdate
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from citysoc.intel.fetching.results import GZIP_MAGIC, FetchError, FetchResult, gunzip, too_large


def fetch_file(url: str, *, max_bytes: int) -> FetchResult:
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
        raise too_large(url, max_bytes, f"the file is {stat.st_size:,} bytes")
    if path.name.lower().endswith(".gz") and body.startswith(GZIP_MAGIC):
        body = gunzip(body, url, max_bytes)
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
