"""What an uploaded spreadsheet may hold, checked before it is read.

An .xlsx (like a .docx) is a zip of XML files, and XML compresses very well: a 100 KB
upload can unpack to 28 MB of XML and 300,000 rows, which ties up the worker for many
seconds and builds an error list of tens of megabytes. So before any reader opens a zip
file, its central directory (a list of the parts with their unpacked sizes, read
without unpacking anything) is checked against three limits: the number of parts, their
total unpacked size and the compression ratio. The directory cannot lie to us: Python's
zipfile stops inflating a part at its declared size (and then fails its checksum).

Rows are capped too: counted on each sheet's XML as it unpacks (`check_xlsx`, cheap:
no cell is built) or on a CSV's lines, before any reader starts, and counted again while
reading. Every limit is a setting with an
environment variable; see docs/security.md, "Upload limits". Django is not imported
here (the list formats that use this module are plain Python): outside a configured
Django process the defaults apply.
"""

from __future__ import annotations

import html
import io
import posixpath
import re
import zipfile
from pathlib import Path
from typing import IO

from citysoc.core.jsondepth import django_settings
from citysoc.core.jsondepth import translated as _

MB = 1024 * 1024
# Below this unpacked size the ratio is not checked: small files of empty styled cells
# compress very well and are harmless.
RATIO_CHECKED_FROM = 10 * MB
# An .xlsx from Excel has a dozen parts, one per sheet plus styles and themes.
MAX_PARTS = 10_000
# Rows allowed on top of IMPORT_MAX_ROWS data rows: the header and title lines above it.
HEADER_ROWS = 30


class UploadTooLarge(ValueError):
    """The file holds more than a limit allows; the message names the limit."""


class DamagedFile(ValueError):
    """The zip directory cannot be read: the file is cut short or not a zip at all."""


DEFAULTS = {
    "UPLOAD_MAX_UNPACKED_BYTES": 100 * MB,
    "UPLOAD_MAX_ZIP_RATIO": 100,
    "IMPORT_MAX_ROWS": 100_000,
    "IMPORT_MAX_ERRORS": 1000,
}


def setting(name: str) -> int:
    settings = django_settings()
    return getattr(settings, name, DEFAULTS[name]) if settings else DEFAULTS[name]


def max_rows() -> int:
    return setting("IMPORT_MAX_ROWS")


def max_errors() -> int:
    return setting("IMPORT_MAX_ERRORS")


def _mb(size: int) -> str:
    return f"{size / MB:.1f}"


def check_zip(source: str | Path | bytes | IO[bytes]) -> None:
    """Refuse a zip-based file whose directory says it unpacks to too much.

    `source` is a path, the bytes, or an open binary file (its position is kept).
    Raises DamagedFile or UploadTooLarge, both ValueErrors with a sentence for the user.
    """
    if isinstance(source, bytes | bytearray):
        source = io.BytesIO(source)
    position = source.tell() if hasattr(source, "tell") else None
    try:
        with zipfile.ZipFile(source) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        raise DamagedFile(
            _(
                "The file cannot be opened: it is damaged or cut short (it is not a complete "
                ".xlsx workbook). Open it in Excel, save it again and upload that copy."
            )
        ) from exc
    finally:
        if position is not None and not isinstance(source, str | Path):
            source.seek(position)
    if len(parts) > MAX_PARTS:
        raise UploadTooLarge(
            _("The file holds %(n)d parts; the limit is %(limit)d. Save it again from Excel.")
            % {"n": len(parts), "limit": MAX_PARTS}
        )
    unpacked = sum(p.file_size for p in parts)
    packed = sum(p.compress_size for p in parts)
    limit = setting("UPLOAD_MAX_UNPACKED_BYTES")
    if unpacked > limit:
        raise UploadTooLarge(
            _(
                "The file unpacks to %(size)s MB of data; the limit is %(limit)s MB. Split it "
                "into smaller files and upload them one by one."
            )
            % {"size": _mb(unpacked), "limit": _mb(limit)}
        )
    ratio = setting("UPLOAD_MAX_ZIP_RATIO")
    if unpacked > RATIO_CHECKED_FROM and unpacked > ratio * max(packed, 1):
        raise UploadTooLarge(
            _(
                "The file is %(ratio)d times smaller than the data it unpacks to (%(size)s MB); "
                "the limit is %(limit)d times. Open it in Excel, save it again and upload "
                "that copy, or split it into smaller files."
            )
            % {"ratio": unpacked // max(packed, 1), "size": _mb(unpacked), "limit": ratio}
        )


def rows_error(sheet: str, limit: int | None = None) -> UploadTooLarge:
    """The error for a sheet with more rows than IMPORT_MAX_ROWS."""
    limit = max_rows() if limit is None else limit
    return UploadTooLarge(
        _(
            "The sheet '%(sheet)s' has more than %(limit)s rows, the limit for one file. "
            "Split it into files of at most %(limit)s rows and upload them one by one."
        )
        % {"sheet": sheet, "limit": f"{limit:,}"}
    )


def check_rows(sheet: str, rows: int | None) -> None:
    """Refuse a sheet whose stated (or counted) number of rows is over IMPORT_MAX_ROWS."""
    if rows is not None and rows > max_rows():
        raise rows_error(sheet)


# Rows of an .xlsx, counted on the sheet XML as it unpacks (bounded by the checks above),
# before any reader builds a cell: a sheet's stated dimension may be missing or false.
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")
_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
CHUNK = 1024 * 1024


def check_xlsx(source: str | Path | bytes | IO[bytes]) -> None:
    """`check_zip`, then every sheet's rows counted against IMPORT_MAX_ROWS (plus a header)."""
    check_zip(source)
    if isinstance(source, bytes | bytearray):
        source = io.BytesIO(source)
    position = source.tell() if hasattr(source, "tell") else None
    try:
        with zipfile.ZipFile(source) as archive:
            names = _sheet_names(archive)
            for member in archive.namelist():
                if member.startswith("xl/worksheets/") and member.endswith(".xml"):
                    rows = _count_rows(archive, member)
                    check_rows(names.get(member, posixpath.basename(member)), rows - HEADER_ROWS)
    except (zipfile.BadZipFile, EOFError, OSError, KeyError) as exc:
        raise DamagedFile(
            _(
                "The file cannot be opened: it is damaged or cut short (it is not a complete "
                ".xlsx workbook). Open it in Excel, save it again and upload that copy."
            )
        ) from exc
    finally:
        if position is not None and not isinstance(source, str | Path):
            source.seek(position)


def _count_rows(archive: zipfile.ZipFile, member: str) -> int:
    rows, tail = 0, b""
    with archive.open(member) as xml:
        while chunk := xml.read(CHUNK):
            data = tail + chunk
            # A tag cut by the chunk border is counted with the next chunk.
            cut = data.rfind(b"<")
            rows += len(_ROW_TAG.findall(data, 0, cut if cut > 0 else len(data)))
            tail = data[cut:] if cut > 0 else b""
    return rows + len(_ROW_TAG.findall(tail))


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet XML member -> the sheet's name as Excel shows it (best effort)."""
    try:
        workbook = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets = {}
    for tag in _RELATIONSHIP.findall(rels):
        attrs = dict(_ATTR.findall(tag))
        target = attrs.get(b"Target", b"").decode("utf-8", "replace")
        path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        targets[attrs.get(b"Id", b"")] = posixpath.normpath(path)
    names = {}
    for tag in _SHEET_TAG.findall(workbook):
        attrs = {k.split(b":")[-1]: v for k, v in _ATTR.findall(tag)}
        member = targets.get(attrs.get(b"id", b""))
        if member:
            names[member] = html.unescape(attrs.get(b"name", b"").decode("utf-8", "replace"))
    return names
