"""lib.workbooks reads cells as openpyxl did, so importers and their reports do not change."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from citysoc.lib import workbooks


def _book() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Botnet"
    sheet["B2"] = "DANH SÁCH ĐỊA CHỈ IP BOTNET"
    sheet.merge_cells("B2:D2")
    sheet.append([])
    when = dt.datetime(2024, 1, 2, 3, 4, 5)  # noqa: DTZ001 - Excel times carry no zone
    sheet.append([1, 1.5, when, dt.date(2024, 1, 2), dt.time(3, 4), True])
    sheet.append([10**15, 2.0, "=1+1", -3, "", " x "])
    sheet["A6"] = "mirai"
    sheet.merge_cells("A6:A8")
    book.create_sheet("Ẩn").sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_cells_rows_and_merges_are_those_openpyxl_gives():
    data = _book()
    expected = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    sheets = list(workbooks.read_sheets(data))
    assert [s.title for s in sheets] == expected.sheetnames  # hidden sheets included
    first = expected.worksheets[0]
    assert sheets[0].rows == [list(r) for r in first.iter_rows(values_only=True)]
    merges = {(m.min_row, m.min_col, m.max_row, m.max_col) for m in first.merged_cells.ranges}
    assert {(m.min_row, m.min_col, m.max_row, m.max_col) for m in sheets[0].merged} == merges


def test_a_damaged_file_is_refused_with_a_reason():
    with pytest.raises(workbooks.UnreadableWorkbook) as caught:
        list(workbooks.read_sheets(b"PK\x03\x04 not really a workbook"))
    assert caught.value.reason
