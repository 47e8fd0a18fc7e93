"""Read .xlsx workbooks: the one place every importer opens a spreadsheet for reading.

Reading goes through calamine (Rust, `python-calamine`): a 100,000-row botnet list is read
in about a second instead of 15-17 s with openpyxl, and merged cells are still known.
openpyxl stays for writing (exports, templates, rejected-rows files).

Cells come back as openpyxl gave them with `data_only=True`, so importers and their
error reports do not change: rows start at A1 (row 1 is `rows[0]`), every row is as wide
as the sheet, an empty cell is `None`, a whole number is an `int`, a date is a
`datetime` at midnight, a formula gives its cached value. Size and row limits
(`core.upload_limits.check_xlsx`) stay the caller's job, before calling this.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

Source = str | Path | bytes | bytearray | IO[bytes]


class UnreadableWorkbook(ValueError):
    """The file cannot be opened as a workbook; `reason` names what the reader hit."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, order=True)
class Merge:
    """A merged range, 1-based and inclusive, as Excel numbers rows and columns."""

    min_row: int
    min_col: int
    max_row: int
    max_col: int


@dataclass(frozen=True)
class Sheet:
    title: str
    rows: list[list[Any]]
    merged: tuple[Merge, ...]


def read_sheets(source: Source, names: tuple[str, ...] | None = None) -> Iterator[Sheet]:
    """The worksheets of a workbook in workbook order (only `names`, if given).

    Chart and macro sheets are left out, hidden worksheets are not (as openpyxl's
    `worksheets`). Raises UnreadableWorkbook for a damaged or foreign file.
    """
    from python_calamine import SheetTypeEnum

    book = _open(source)
    try:
        for meta in book.sheets_metadata:
            wanted = names is None or meta.name in names
            if meta.typ != SheetTypeEnum.WorkSheet or not wanted:
                continue
            try:
                rows, merged = _read_rows(book, meta.name)
            except Exception as exc:  # calamine's errors for a damaged sheet part
                raise UnreadableWorkbook(exc.__class__.__name__) from exc
            # Sorted: calamine's order can differ between two reads of the same file.
            merges = tuple(sorted(Merge(a + 1, b + 1, c + 1, d + 1) for (a, b), (c, d) in merged))
            _cover_merges(rows, merges)
            yield Sheet(meta.name, rows, merges)
            del rows  # the caller holds the sheet it is reading; not this frame as well
    finally:
        book.close()


def _read_rows(book: Any, name: str) -> tuple[list[list[Any]], list[Any]]:
    """The sheet's rows from A1, converted row by row as calamine hands them over.

    Streaming (`iter_rows`) instead of `to_python` keeps one converted copy of the sheet in
    memory, not calamine's full Python copy and ours at once; calamine's own copy of the
    cells is released before the rows are handed on.
    """
    sheet = book.get_sheet_by_name(name)
    merged = list(sheet.merged_cell_ranges or [])
    top, left = sheet.start or (0, 0)
    pad = [None] * left
    rows: list[list[Any]] = []
    # iter_rows starts at row 1 but at the first used column: pad to column A.
    for cells in sheet.iter_rows():
        _as_openpyxl(cells)
        rows.append(pad + cells if left else cells)
    del sheet
    return rows, merged


def sheet_names(source: Source) -> list[str]:
    from python_calamine import SheetTypeEnum

    book = _open(source)
    try:
        return [m.name for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
    finally:
        book.close()


def _open(source: Source) -> Any:  # python-calamine ships no type information
    from python_calamine import CalamineWorkbook  # imported here: CSV imports never pay

    if isinstance(source, bytes | bytearray):
        source = io.BytesIO(source)
    try:
        if isinstance(source, str | Path):
            return CalamineWorkbook.from_path(str(source))
        source.seek(0)
        return CalamineWorkbook.from_filelike(source)
    except Exception as exc:  # calamine raises several types for a damaged file
        raise UnreadableWorkbook(exc.__class__.__name__) from exc


def _cover_merges(rows: list[list[Any]], merges: tuple[Merge, ...]) -> None:
    """Rows and columns reach the last merged cell, as in openpyxl (whose merged cells
    count as cells): a family merged down past the last address still gives its rows."""
    if not merges:
        return
    height = max(len(rows), *(m.max_row for m in merges))
    width = max(len(rows[0]) if rows else 0, *(m.max_col for m in merges))
    rows.extend([] for _ in range(height - len(rows)))
    for row in rows:
        if len(row) < width:
            row.extend([None] * (width - len(row)))


_DATE = dt.date
_DATETIME = dt.datetime


def _as_openpyxl(cells: list[Any]) -> None:
    # openpyxl's values: None for an empty cell, int for a whole number, datetime for a date.
    for i, value in enumerate(cells):
        kind = type(value)
        if kind is str:
            if not value:
                cells[i] = None
        elif kind is float:
            if value.is_integer():
                cells[i] = int(value)
        elif kind is _DATE:
            cells[i] = _DATETIME(value.year, value.month, value.day)
