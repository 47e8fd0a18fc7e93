"""A library as an Excel workbook: export, edit in a spreadsheet, load it back."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from citysoc.compliance import libraries, library_sheets
from citysoc.compliance.models import Library, Requirement

ND85 = libraries.SHIPPED_DIR / "nd85-tt12-tcvn11930.yaml"
ND331 = libraries.SHIPPED_DIR / "nd331-tcvn14423.yaml"


@pytest.mark.parametrize("path", [ND85, ND331], ids=lambda p: p.name)
def test_a_library_survives_the_round_trip_through_excel(path, tmp_path):
    doc = libraries.read_document(path)
    xlsx = tmp_path / "library.xlsx"
    xlsx.write_bytes(library_sheets.export_workbook(doc))

    assert libraries.read_document(xlsx) == doc
    assert libraries.content_hash(libraries.read_document(xlsx)) == libraries.content_hash(doc)


def test_the_workbook_is_readable_by_an_officer(tmp_path):
    book = load_workbook(io.BytesIO(library_sheets.export_workbook(libraries.read_document(ND85))))
    assert book.sheetnames == ["library", "requirements", "duties", "questions", "level_criteria"]
    meta = {row[0]: row[1] for row in book["library"].iter_rows(min_row=2, values_only=True)}
    assert meta["valid_from"] == "2022-10-01" and meta["regime"] == "nd85-2016"
    header = [c.value for c in book["requirements"][1]]
    row = next(
        r
        for r in book["requirements"].iter_rows(min_row=2, values_only=True)
        if r[1] == "PL V.I.1.6"
    )
    cell = dict(zip(header, row, strict=True))
    assert cell["levels"] == "5"
    assert cell["official"] == "yes"
    assert cell["thresholds"] == '{"assessment_months": {"5": 6}}'
    assert cell["guidance_confirmed"] == "no"


def test_the_same_content_as_excel_loads_as_unchanged(db, tmp_path):
    libraries.load_file(ND85)
    xlsx = tmp_path / "nd85.xlsx"
    xlsx.write_bytes(library_sheets.export_workbook(libraries.read_document(ND85)))
    assert libraries.load_file(xlsx).status == "unchanged"


def test_an_office_extends_a_library_in_excel(db, tmp_path):
    libraries.load_file(ND85)
    book = load_workbook(io.BytesIO(library_sheets.export_workbook(libraries.read_document(ND85))))
    meta = book["library"]
    version_row = next(r for r in meta.iter_rows(min_row=2) if r[0].value == "version")
    version_row[1].value = 4
    sheet = book["requirements"]
    header = [c.value for c in sheet[1]]
    new = {
        "urn": "urn:citysoc:req:nd85-tt12-tcvn11930:office.1",
        "ref_id": "VP.1",
        "parent": "urn:citysoc:req:nd85-tt12-tcvn11930:l2:6.1.5",
        "assessable": "yes",
        "title": "Sao lưu cấu hình tường lửa hằng tuần",
        "levels": "2;3;4;5",
        "official": "no",
        "source": "Quy định nội bộ của đơn vị",
    }
    sheet.append([new.get(col, "") for col in header])
    path = tmp_path / "office.xlsx"
    book.save(path)

    result = libraries.load_file(path)

    assert result.status == "updated", result.errors
    added = Requirement.objects.get(ref_id="VP.1")
    assert (added.levels, added.official, added.parent.ref_id) == ([2, 3, 4, 5], False, "6.1.5")
    assert Library.objects.get(urn="urn:citysoc:library:nd85-tt12-tcvn11930").version == 4


def test_a_bad_cell_is_named_by_sheet_row_and_column(tmp_path):
    book = load_workbook(io.BytesIO(library_sheets.export_workbook(libraries.read_document(ND331))))
    book["requirements"]["J5"] = "ba, bốn"  # column J = levels
    book["level_criteria"]["E3"] = "{q: system_type"  # column E = when
    path = tmp_path / "bad.xlsx"
    book.save(path)

    with pytest.raises(libraries.LibraryInvalid) as caught:
        libraries.read_document(path)

    assert caught.value.problems == [
        "sheet 'requirements' row 5 column levels: 'ba, bốn' is not a list of levels like 3,4,5",
        "sheet 'level_criteria' row 3 column when: not valid JSON "
        "(Expecting property name enclosed in double quotes at character 1)",
    ]


def test_a_file_that_is_not_a_workbook_is_reported(tmp_path):
    path = tmp_path / "oops.xlsx"
    path.write_text("urn: not really excel", encoding="utf-8")
    with pytest.raises(libraries.LibraryInvalid, match="not a readable .xlsx workbook"):
        libraries.read_document(path)


def test_a_schema_error_in_a_workbook_names_the_excel_row(tmp_path):
    book = load_workbook(io.BytesIO(library_sheets.export_workbook(libraries.read_document(ND331))))
    book["requirements"]["J7"] = "2,9"
    path = tmp_path / "bad.xlsx"
    book.save(path)
    with pytest.raises(libraries.LibraryInvalid) as caught:
        libraries.read_document(path)
    assert caught.value.problems == [
        "requirements[5].levels[1]: 9 is greater than the maximum of 5 (sheet 'requirements' row 7)"
    ]
