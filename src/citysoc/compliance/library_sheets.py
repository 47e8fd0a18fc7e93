"""A framework library as an Excel workbook, so an office can replace or extend one without code.

`export_workbook(doc)` writes one sheet per part of the library: "library" (metadata as
key/value rows), "requirements" (one row per requirement, levels as "3,4,5", thresholds
as JSON), "duties", "questions" (one choice per line: "value | tiếng Việt | English") and
"level_criteria" (the condition as JSON). `read_workbook(path)` reads such a workbook
back into the same dict a YAML library gives. Put the .xlsx in a library folder, or run
`citysoc load-libraries --folder FILE.xlsx`.
"""

from __future__ import annotations

import datetime
import io
import json
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from citysoc.compliance.library_shape import DEFAULTS, LibraryInvalid, normalise
from citysoc.core import upload_limits
from citysoc.lib import workbooks
from citysoc.lib.formulas import defuse_workbook, restore_defused

LIBRARY_KEYS = (
    "urn", "ref_id", "version", "regime", "name", "name_en", "description", "provider",
    "valid_from", "valid_to", "superseded_by", "edition", "procedure",
)  # fmt: skip
REQUIREMENT_COLUMNS = (
    "urn", "ref_id", "parent", "assessable", "kind", "title", "title_en", "description",
    "description_en", "levels", "importance", "typical_evidence", "thresholds", "official",
    "source", "guidance", "guidance_en", "guidance_confirmed", "replaces", "unit_kinds",
)  # fmt: skip
DUTY_COLUMNS = (
    "urn", "code", "title", "title_en", "levels", "every_months", "deadline",
    "remind_days_before", "valid_from", "valid_to", "clocks", "description", "official",
    "source",
)  # fmt: skip
QUESTION_COLUMNS = ("id", "kind", "text", "text_en", "choices")
CRITERION_COLUMNS = ("level", "article", "reason", "reason_en", "when", "official", "source")
TABLES = {
    "requirements": REQUIREMENT_COLUMNS,
    "duties": DUTY_COLUMNS,
    "questions": QUESTION_COLUMNS,
    "level_criteria": CRITERION_COLUMNS,
}
# Columns whose cells hold JSON text, lists of levels, yes/no, or whole numbers.
JSON_COLUMNS = {"thresholds", "when", "clocks", "replaces", "procedure", "unit_kinds"}
LEVEL_COLUMNS = {"levels"}
BOOL_COLUMNS = {"assessable", "official", "guidance_confirmed"}
INT_COLUMNS = {"level", "every_months", "remind_days_before", "version"}
YES, NO = ("yes", "true", "1", "có", "x"), ("no", "false", "0", "không", "")


# --- export ---------------------------------------------------------------------------------


def export_workbook(doc: dict) -> bytes:
    """The library dict (as read from YAML) as .xlsx bytes."""
    doc = normalise(doc)
    book = Workbook()
    meta = book.active
    meta.title = "library"
    meta.append(["key", "value"])
    for key in LIBRARY_KEYS:
        meta.append([key, _cell(key, doc.get(key))])
    for sheet_name, columns in TABLES.items():
        sheet = book.create_sheet(sheet_name)
        sheet.append(list(columns))
        for row in doc.get(sheet_name, []):
            sheet.append([_cell(col, row.get(col)) for col in columns])
    for sheet in book.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for col in sheet.columns:
            sheet.column_dimensions[col[0].column_letter].width = 18
            for cell in col[1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    defuse_workbook(book)  # read back by _parse, which removes the added apostrophe
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(column: str, value: Any) -> Any:
    if value is None:
        return ""
    if column in JSON_COLUMNS:
        return json.dumps(value, ensure_ascii=False)
    if column in LEVEL_COLUMNS:
        return ",".join(str(v) for v in value)
    if column in BOOL_COLUMNS:
        return "yes" if value else "no"
    if column == "choices":
        return "\n".join(" | ".join(str(part) for part in choice) for choice in value)
    return value


# --- import ---------------------------------------------------------------------------------


def read_workbook(path: str | Path | io.BytesIO) -> dict:
    """The library dict from a workbook made by export_workbook (or by hand, same columns).

    Raises LibraryInvalid naming the sheet, row and column of every cell that cannot be
    read. The result is then checked against the schema like a YAML file.
    """
    name = str(path) if not isinstance(path, io.BytesIO) else "workbook"
    try:
        # Sizes and rows first: a small workbook can unpack to gigabytes.
        upload_limits.check_xlsx(path)
    except upload_limits.DamagedFile as exc:
        raise LibraryInvalid(name, [f"not a readable .xlsx workbook ({exc})"]) from exc
    except ValueError as exc:
        raise LibraryInvalid(name, [str(exc)]) from exc
    try:
        book = {s.title: s for s in workbooks.read_sheets(path)}
    except workbooks.UnreadableWorkbook as exc:
        raise LibraryInvalid(name, [f"not a readable .xlsx workbook ({exc})"]) from exc
    problems: list[str] = []
    if "library" not in book or "requirements" not in book:
        raise LibraryInvalid(
            name, [f"needs sheets 'library' and 'requirements' (found: {list(book)})"]
        )
    doc: dict[str, Any] = _read_meta(book["library"], problems)
    for sheet_name, columns in TABLES.items():
        if sheet_name in book:
            doc[sheet_name] = _read_table(book[sheet_name], columns, problems)
    if problems:
        raise LibraryInvalid(name, problems)
    return doc


def _read_meta(sheet, problems: list[str]) -> dict:
    doc: dict[str, Any] = {}
    for row_no, row in enumerate(sheet.rows[1:], start=2):
        if not row or row[0] in (None, ""):
            continue
        key = str(row[0]).strip()
        if key not in LIBRARY_KEYS:
            problems.append(f"sheet 'library' row {row_no}: unknown key '{key}'")
            continue
        value = row[1] if len(row) > 1 else None
        if value in (None, ""):
            if key in DEFAULTS["library"]:
                continue
            value = ""
        doc[key] = _value(key, value, f"sheet 'library' row {row_no}", problems)
    return doc


def _read_table(sheet, columns: tuple[str, ...], problems: list[str]) -> list[dict]:
    rows = iter(sheet.rows)
    header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
    unknown = [h for h in header if h and h not in columns]
    if unknown:
        problems.append(
            f"sheet '{sheet.title}' row 1: unknown column(s) {unknown}; expected {list(columns)}"
        )
        return []
    items = []
    for row_no, row in enumerate(rows, start=2):
        if all(v in (None, "") for v in row):
            continue
        item = {}
        for col, value in zip(header, row, strict=False):
            if not col or value in (None, ""):
                continue
            where = f"sheet '{sheet.title}' row {row_no} column {col}"
            item[col] = _value(col, value, where, problems)
        items.append(item)
    return items


def _value(column: str, value: Any, where: str, problems: list[str]) -> Any:
    try:
        return _parse(column, value)
    except ValueError as exc:
        problems.append(f"{where}: {exc}")
        return None


def _parse(column: str, value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, str):
        value = restore_defused(value)
    for columns, parse in PARSERS:
        if column in columns:
            return parse(value)
    return str(value) if not isinstance(value, str) else value


def _json(value: Any) -> Any:
    try:
        return json.loads(str(value))
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg} at character {exc.pos})") from exc


def _levels(value: Any) -> list[int]:
    parts = [p.strip() for p in str(value).replace(";", ",").split(",") if p.strip()]
    if not all(p.isdigit() for p in parts):
        raise ValueError(f"'{value}' is not a list of levels like 3,4,5")
    return [int(p) for p in parts]


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in YES or text in NO:
        return text in YES
    raise ValueError(f"'{value}' is not yes or no")


def _int(value: Any) -> int:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) or str(value).strip().isdigit():
        return int(value)
    raise ValueError(f"'{value}' is not a whole number")


def _choices(value: Any) -> list[list[str]]:
    return [[part.strip() for part in line.split("|")] for line in str(value).splitlines()]


PARSERS = (
    (JSON_COLUMNS, _json),
    (LEVEL_COLUMNS, _levels),
    (BOOL_COLUMNS, _bool),
    (INT_COLUMNS, _int),
    ({"choices"}, _choices),
)
