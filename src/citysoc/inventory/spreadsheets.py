"""Read and write the spreadsheets of imports and exports: .xlsx and .csv.

Reading: .xlsx through `citysoc.lib.workbooks` (calamine: a 50,000-row sheet in well
under a second), .csv row by row. CSV files from Vietnamese offices come
in three encodings: UTF-8 with a BOM (Excel's "CSV UTF-8"), plain UTF-8, and
Windows-1258 (Excel's "CSV" on a Vietnamese Windows). Windows-1258 writes most accented
letters as a base letter plus a combining tone mark, so the text is NFC-normalised after
decoding or "Tên" would not match "Tên".
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import unicodedata
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from citysoc.core import upload_limits
from citysoc.lib import workbooks
from citysoc.lib.formulas import defuse_formula

logger = logging.getLogger(__name__)

EXTENSIONS = (".xlsx", ".csv")
CSV_SNIFF_BYTES = 64 * 1024
HEADER_ROOM = upload_limits.HEADER_ROWS  # lines allowed for a header and titles above it


class SpreadsheetError(ValueError):
    """The file cannot be read as a spreadsheet at all."""


@dataclass
class Table:
    """One sheet: its name, the header row and an iterator of (row number, cells).

    Row numbers are the ones the user sees in Excel (1 = the first line of the file).
    Empty rows are skipped. `estimated_rows` is the number of data rows if the format
    tells us cheaply, for the progress display.
    """

    sheet: str
    header: list[Any]
    header_row: int
    rows: Iterator[tuple[int, list[Any]]]
    estimated_rows: int


def file_format(filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    if suffix not in EXTENSIONS:
        raise SpreadsheetError(
            f"'{Path(filename).name}' is neither .xlsx nor .csv; save it from Excel as "
            "'Excel Workbook (.xlsx)' or 'CSV UTF-8' and upload again."
        )
    return suffix[1:]


def open_table(path: str | Path, filename: str | None = None) -> Table:
    """Open the first sheet of an .xlsx, or a .csv, and read up to its header row."""
    fmt = file_format(filename or str(path))
    rows = _xlsx_rows(path) if fmt == "xlsx" else _csv_rows(path)
    sheet, estimate = next(rows)  # the generators announce their sheet first
    for number, cells in rows:
        if any(_filled(c) for c in cells):
            return Table(sheet, list(cells), number, _data_rows(rows), max(0, estimate - number))
    raise SpreadsheetError("the file is empty: no header row was found")


def _filled(cell: Any) -> bool:
    return cell is not None and str(cell).strip() != ""


def _data_rows(rows: Iterator[Any]) -> Iterator[tuple[int, list[Any]]]:
    for number, cells in rows:
        if any(_filled(c) for c in cells):
            yield number, list(cells)


def check_xlsx(source: str | Path | IO[bytes]) -> None:
    """Refuse an .xlsx that unpacks to more than the limits allow, or has too many rows."""
    try:
        upload_limits.check_xlsx(source)
    except ValueError as exc:
        raise SpreadsheetError(str(exc)) from exc


def _xlsx_rows(path: str | Path) -> Iterator[Any]:
    check_xlsx(path)  # before any cell is read
    # A generator: closing it closes the workbook even when no sheet is read to the end.
    sheets = cast("Generator[workbooks.Sheet, None, None]", workbooks.read_sheets(path))
    try:
        sheet = next(sheets, None)
    except workbooks.UnreadableWorkbook as exc:
        raise SpreadsheetError(
            f"this .xlsx file cannot be opened ({exc.reason}); open it in Excel, "
            "save it again as 'Excel Workbook (.xlsx)' and upload that copy"
        ) from exc
    finally:
        sheets.close()
    if sheet is None:
        raise SpreadsheetError("the file is empty: no header row was found")
    yield sheet.title, len(sheet.rows)
    yield from _counted(sheet.title, enumerate(sheet.rows, start=1))


def _check_rows(sheet: str, rows: int | None) -> None:
    try:
        upload_limits.check_rows(sheet, rows)
    except ValueError as exc:
        raise SpreadsheetError(str(exc)) from exc


def _counted(sheet: str, rows: Iterator[tuple[int, Any]]) -> Iterator[tuple[int, Any]]:
    # Counted again while reading: what is read must be what was counted.
    limit = upload_limits.max_rows() + HEADER_ROOM
    for number, cells in rows:
        if number > limit:
            raise SpreadsheetError(str(upload_limits.rows_error(sheet)))
        yield number, cells


def decode(data: bytes) -> str:
    """UTF-8 with BOM, UTF-8, or else Windows-1258; NFC-normalised."""
    if data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1258", errors="replace")
    return unicodedata.normalize("NFC", text)


def sniff_delimiter(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _csv_rows(path: str | Path) -> Iterator[Any]:
    try:
        text = decode(Path(path).read_bytes())
    except UnicodeDecodeError as exc:
        raise SpreadsheetError(
            f"the CSV file is not valid UTF-8 after its BOM (byte {exc.start}); save it from "
            "Excel as 'CSV UTF-8' and upload again"
        ) from exc
    sample = text[:CSV_SNIFF_BYTES]
    # Sniff on whole lines only: a cut line confuses the sniffer.
    sample = sample.rsplit("\n", 1)[0] if "\n" in sample else sample
    delimiter = sniff_delimiter(sample)
    lines = text.count("\n") + 1
    _check_rows(Path(path).stem, lines - HEADER_ROOM)
    yield Path(path).stem, lines
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            # A cell of megabytes is no inventory data (a pasted file, or an attack).
            raise SpreadsheetError(
                _(
                    "Line %(line)d: a cell is longer than %(limit)s characters, the limit for "
                    "one cell. Check that line (a missing closing quote makes one cell of "
                    "the rest of the file)."
                )
                % {"line": reader.line_num, "limit": f"{csv.field_size_limit():,}"}
            ) from exc
        raise SpreadsheetError(f"line {reader.line_num}: {exc}") from exc


# Writing


def write_xlsx(
    out: IO[bytes] | str | Path,
    sheet: str,
    header: list[str],
    rows: Iterable[Iterable[Any]],
    guide: tuple[str, list[list[str]]] | None = None,
) -> None:
    """Write a workbook in openpyxl's write-only mode (constant memory)."""
    workbook = Workbook(write_only=True)
    data = workbook.create_sheet(sheet[:31])
    data.append([_bold(data, h) for h in header])
    for row in rows:
        # A hostname typed by a unit must not run as a formula when the city opens the
        # export; the importer (columns.cell_text) removes the apostrophe this adds.
        data.append([defuse_formula(v) for v in row])
    if guide is not None:
        title, lines = guide
        notes = workbook.create_sheet(title[:31])
        for i, line in enumerate(lines):
            notes.append([_bold(notes, v) for v in line] if i == 0 else line)
    workbook.save(out)


def _bold(sheet: Any, value: str) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.font = Font(bold=True)
    return cell


def csv_lines(header: list[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """Lines of a UTF-8-with-BOM CSV (Excel opens Vietnamese correctly only with the BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    yield "\ufeff"
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else defuse_formula(v) for v in row])
        if buffer.tell() > 32 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_csv(out: IO[bytes], header: list[str], rows: Iterable[Iterable[Any]]) -> None:
    for chunk in csv_lines(header, rows):
        out.write(chunk.encode("utf-8"))
