"""Botnet list spreadsheet from the authorities (.xlsx or .csv), any of the usual layouts.

The header row is the row, among the first 30, with the most known column names; a
title block above it ("CỘNG HÒA XÃ HỘI…", "DANH SÁCH ĐỊA CHỈ IP BOTNET tháng 01/2024")
is skipped and its text kept in `meta["title"]`. Column names are matched without case
or accents ("Địa chỉ IP" = "dia chi ip") against `FIELDS`, which covers the Vietnamese
sheets, the VNCERT template (AttackerIP, NetwordName, LocalIP, LocalTCPPort, AttankOn, IP,
ISP — its `IP` column is the C&C server, next to AttackerIP) and Shadowserver reports.
`options["columns"]` ({"ip": "<header text>", …}) overrides the guess; when no IP column
can be found, `NeedsMapping` carries the headers so the user can choose.

Below the header, a row is:
- skipped when it is empty, or is a notes line ("Ghi chú: …", "Tổng cộng: 300"): nothing
  address-like in the IP column and nothing in the other mapped columns (its text goes to
  `meta["notes"]`);
- rejected when the IP cell is empty but other columns are filled;
- otherwise an entry, even with a bad-looking IP, which the importer then rejects.

Cell values: merged cells give their top-left value; a merge down one column (a family
written once for several rows) fills every row. Times are datetime cells or text in
dd/mm/yyyy [HH:MM[:SS]] or ISO form; naive times are Vietnam time (Shadowserver: UTC).
Unreadable times and ports leave the field empty and are listed in `meta["warnings"]`.
Columns named in `NOTE_HEADERS` (hostname, LocalIP, Ghi chú…) go into the note as
"Header: value". CSV may be UTF-8 (with or without BOM) or Windows-1258, with any of the
delimiters , ; tab |.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import tzinfo
from typing import Any, TypeVar

from citysoc.core import upload_limits
from citysoc.core.jsondepth import translated as _
from citysoc.intel.formats import base
from citysoc.intel.formats.base import (
    ListEntry,
    NeedsMapping,
    ParsedList,
    RejectedRow,
    build,
    gettext_noop,
)
from citysoc.lib import workbooks

NAME = "botnet_sheet"
LABEL = gettext_noop("Botnet list spreadsheet (.xlsx, .csv)")
EXTENSIONS = (".xlsx", ".xlsm", ".csv")

# Field -> accepted header names, folded (see base.fold). Fields are assigned in this order
# and a column is used once, which is how the VNCERT template's "IP" becomes the C&C: the
# more specific "AttackerIP" has already taken the `ip` field.
FIELDS: dict[str, tuple[str, ...]] = {
    "ip": (
        "dia chi ip", "ip address", "attackerip", "attacker ip", "ip nhiem", "ip bi nhiem",
        "ip nhiem ma doc", "dia chi ip nhiem", "infected ip", "src ip", "source ip", "ip",
    ),
    "first_seen": (
        "thoi gian", "attankon", "attackon", "attack on", "timestamp", "time",
        "ngay phat hien", "thoi gian phat hien", "first seen", "first seen utc", "ngay", "date",
    ),
    "last_seen": ("last seen", "last online", "lan cuoi", "thoi gian cuoi"),
    "family": (
        "loai ma doc", "ten mang botnet", "networdname", "networkname", "network name",
        "ten botnet", "botnet", "infection", "malware", "family", "ma doc", "tag",
    ),
    "c2": (
        "may chu c&c", "may chu cc", "dia chi c&c", "c&c", "cc", "cc ip", "c2", "c2 ip",
        "ip",
    ),
    "c2_port": ("cong c&c", "cong cc", "cc port", "c2 port"),
    "port": ("localtcpport", "local port", "port", "cong", "src port"),
    "isp": ("nha mang", "nha cung cap", "isp"),
    "asn": ("asn", "as"),
    "country": ("geo", "country", "quoc gia"),
}  # fmt: skip
NOTE_HEADERS = frozenset(
    ("hostname", "localip", "local ip", "ghi chu", "mo ta", "don vi", "cc dns", "url", "type")
)
KNOWN_HEADERS = frozenset(a for aliases in FIELDS.values() for a in aliases) | NOTE_HEADERS
HEADER_SCAN_ROWS = 30
DELIMITERS = ",;\t|"
_IP_LIKE = re.compile(r"^[0-9A-Fa-f:.\-/\[\]\s]*\d[0-9A-Fa-f:.\-/\[\]\s]*$")

Row = tuple[int, list[object]]  # (row number as the user sees it, cell values)
T = TypeVar("T")


def sniff(head: bytes, filename: str) -> bool:
    if head.startswith(b"PK\x03\x04"):
        return filename.lower().endswith((".xlsx", ".xlsm")) or b"xl/" in head[:4096]
    if not base.looks_like_text(head):
        return False
    text = base.decode(head, partial=True)
    for line in text.splitlines()[:HEADER_SCAN_ROWS]:
        cells = [base.fold(c) for c in re.split(r"[,;\t|]", line)]
        if "ip" in _assign(cells, {}) and len(KNOWN_HEADERS.intersection(cells)) >= 2:
            return True
    return False


def parse(data: bytes, filename: str = "", options: dict[str, Any] | None = None) -> ParsedList:
    return read(data, filename, options, format=NAME, tz=base.VIETNAM)


def read(
    data: bytes, filename: str, options: dict[str, Any] | None, *, format: str, tz: tzinfo
) -> ParsedList:
    """Parse a sheet or CSV; `format` and `tz` let Shadowserver reuse this code as is."""
    options = options or {}
    overrides = {k: v for k, v in (options.get("columns") or {}).items() if v}
    if data.startswith(b"PK\x03\x04"):
        sheet, rows = _pick_sheet(_xlsx_sheets(data), overrides, options.get("sheet"))
        meta: dict[str, Any] = {"sheet": sheet}
    else:
        rows, meta = _csv_rows(data), {}
    header_at, columns = _find_header(rows, overrides)
    header = [_text(c) for c in rows[header_at][1]] if rows else []
    if "ip" not in columns:
        guessed = {f: header[i] for f, i in columns.items()}
        raise NeedsMapping(header, guessed)
    return _read_table(rows, header_at, header, columns, format=format, tz=tz, meta=meta)


# --- reading cells -------------------------------------------------------------------------


def _xlsx_sheets(data: bytes) -> Iterator[tuple[str, list[Row]]]:
    # Sizes and rows first, before any cell is read: a 100 KB file can hold
    # 300,000 rows (docs/security.md, "Upload limits").
    upload_limits.check_xlsx(data)
    limit = upload_limits.max_rows() + upload_limits.HEADER_ROWS
    try:
        for sheet in workbooks.read_sheets(data):
            if len(sheet.rows) > limit:  # a sheet that does not state its dimension
                raise upload_limits.rows_error(sheet.title)
            rows: list[Row] = list(enumerate(sheet.rows, 1))
            _fill_vertical_merges(sheet.merged, rows)
            yield sheet.title, rows
    except workbooks.UnreadableWorkbook as exc:
        raise ValueError(
            _(
                "This .xlsx file cannot be opened (%(error)s). Open it in Excel, save it "
                "again as 'Excel Workbook (.xlsx)' and upload that copy."
            )
            % {"error": exc.reason}
        ) from exc


def _fill_vertical_merges(merged: tuple[workbooks.Merge, ...], rows: list[Row]) -> None:
    """Copy the top value down merges within one column; wider merges keep it top-left."""
    for merge in merged:
        if merge.min_col != merge.max_col or merge.min_row > len(rows):
            continue  # a title or notes line across the table: its text stays in one cell
        col = merge.min_col - 1
        top = rows[merge.min_row - 1][1]
        value = top[col] if col < len(top) else None
        for number in range(merge.min_row + 1, min(merge.max_row, len(rows)) + 1):
            cells = rows[number - 1][1]
            cells.extend([None] * (col + 1 - len(cells)))
            cells[col] = value


def _pick_sheet(
    sheets: Iterable[tuple[str, list[Row]]], overrides: dict[str, str], wanted: str | None
) -> tuple[str, list[Row]]:
    """The named sheet, else the one whose header row scores best (the first on ties)."""
    best: tuple[int, str, list[Row]] | None = None
    for title, rows in sheets:
        if wanted and title == wanted:
            return title, rows
        score = max((_score(r, overrides) for _, r in rows[:HEADER_SCAN_ROWS]), default=0)
        if best is None or score > best[0]:
            best = (score, title, rows)
    if best is None:
        raise ValueError("The workbook has no worksheet.")
    return best[1], best[2]


def _csv_rows(data: bytes) -> list[Row]:
    text = base.decode(data)
    upload_limits.check_rows("CSV", text.count("\n") - upload_limits.HEADER_ROWS)
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows: list[Row] = []
    start = 1
    try:
        for cells in reader:
            rows.append((start, list(cells)))
            start = reader.line_num + 1  # a quoted cell may span lines: keep the first line
    except csv.Error as exc:  # e.g. a cell of megabytes: a ValueError ends the version
        raise ValueError(
            _("Line %(line)d of the CSV cannot be read: %(error)s.")
            % {"line": reader.line_num, "error": exc}
        ) from exc
    return rows


def _delimiter(text: str) -> str:
    """The CSV delimiter, sniffed on the lines that have one (title lines have none)."""
    lines = [line for line in text[:16384].splitlines()[:50] if any(d in line for d in DELIMITERS)]
    sample = "\n".join(lines)
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        return max(DELIMITERS, key=sample.count)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# --- header ----------------------------------------------------------------------------


def _score(cells: list[object], overrides: dict[str, str]) -> int:
    known = KNOWN_HEADERS | {base.fold(h) for h in overrides.values()}
    return sum(1 for c in cells if isinstance(c, str) and base.fold(c) in known)


def _find_header(rows: list[Row], overrides: dict[str, str]) -> tuple[int, dict[str, int]]:
    """Index of the header row in `rows` and field -> column index."""
    best_at, best_score = 0, 0
    for at, (_number, cells) in enumerate(rows[:HEADER_SCAN_ROWS]):
        score = _score(cells, overrides)
        if score > best_score:
            best_at, best_score = at, score
    if best_score == 0:
        best_at = next((i for i, (_, c) in enumerate(rows) if any(map(_text, c))), 0)
        return best_at, {}
    folded = [base.fold(_text(c)) for c in rows[best_at][1]]
    return best_at, _assign(folded, overrides)


def _assign(folded: list[str], overrides: dict[str, str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for field, header in overrides.items():
        if field in FIELDS and base.fold(header) in folded:
            columns[field] = folded.index(base.fold(header))
    for field, aliases in FIELDS.items():
        taken = set(columns.values())
        found = (i for a in aliases for i, f in enumerate(folded) if f == a and i not in taken)
        if field not in columns and (at := next(found, None)) is not None:
            columns[field] = at
    return columns


# --- rows ------------------------------------------------------------------------------


def _read_table(
    rows: list[Row],
    header_at: int,
    header: list[str],
    columns: dict[str, int],
    *,
    format: str,
    tz: tzinfo,
    meta: dict[str, Any],
) -> ParsedList:
    notes = [i for i, h in enumerate(header) if base.fold(h) in NOTE_HEADERS]
    notes = [i for i in notes if i not in columns.values()]
    entries: list[ListEntry] = []
    rejected: list[RejectedRow] = []
    meta = meta | {
        "header_row": rows[header_at][0],
        "columns": {f: header[i] for f, i in columns.items()},
        "title": [t for _, c in rows[:header_at] for t in map(_text, c) if t],
        "notes": [],
        "warnings": [],
    }
    skipped = header_at + 1
    for number, cells in rows[header_at + 1 :]:
        texts = [_text(c) for c in cells] + [""] * (len(header) - len(cells))
        ip = texts[columns["ip"]]
        others = any(texts[i] for f, i in columns.items() if f != "ip") or any(
            texts[i] for i in notes
        )
        if not others and not _IP_LIKE.match(ip):
            skipped += 1
            if line := " ".join(t for t in texts if t):
                meta["notes"].append(f"row {number}: {line}")
        elif not ip:
            reason = f"no IP address in column '{header[columns['ip']]}'"
            rejected.append(RejectedRow(number, " | ".join(texts), reason))
        else:
            cells = list(cells) + [None] * (len(header) - len(cells))
            entry = _entry(number, cells, texts, header, columns, notes, tz, meta)
            entries.append(entry)
    return build(format, entries, rejected, skipped=skipped, meta=meta)


def _entry(
    number: int,
    cells: list[object],
    texts: list[str],
    header: list[str],
    columns: dict[str, int],
    notes: list[int],
    tz: tzinfo,
    meta: dict[str, Any],
) -> ListEntry:
    def text(field: str) -> str:
        return texts[columns[field]] if field in columns else ""

    def _field(field: str, read: Callable[[object], T | None]) -> T | None:
        if field not in columns or not texts[columns[field]]:
            return None
        try:
            return read(cells[columns[field]])
        except (ValueError, OverflowError):
            cell, heading = texts[columns[field]], header[columns[field]]
            meta["warnings"].append(f"row {number}: could not read '{cell}' in '{heading}'")
            return None

    return ListEntry(
        row=number,
        value=text("ip"),
        family=text("family").lower(),
        c2=text("c2"),
        c2_port=_field("c2_port", base.parse_port),
        port=_field("port", base.parse_port),
        first_seen=_field("first_seen", lambda v: base.parse_time(v, tz)),
        last_seen=_field("last_seen", lambda v: base.parse_time(v, tz)),
        asn=text("asn"),
        isp=text("isp"),
        country=text("country"),
        note="; ".join(f"{header[i]}: {texts[i]}" for i in notes if texts[i]),
    )
