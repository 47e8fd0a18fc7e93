"""TCVN 14423 stays unconfirmed but traceable: its source, its edition, the thresholds an
official text speaks to, and the 12-month log rule only for network-service enterprises."""

from __future__ import annotations

import datetime

import pytest

from citysoc.compliance import assessing, libraries, library_sheets
from citysoc.compliance.models import Library
from citysoc.core.models import Unit
from tests import factories

ND331 = libraries.SHIPPED_DIR / "nd331-tcvn14423.yaml"


@pytest.fixture(scope="module")
def doc():
    return libraries.read_document(ND331)


def row(doc, ref: str) -> dict:
    return next(r for r in doc["requirements"] if r["ref_id"] == ref)


def test_the_library_names_its_edition(doc):
    assert doc["edition"].startswith("TCVN 14423:2026")


def test_lockout_is_5_for_business_software_from_level_2(doc):
    lockout = row(doc, "6.2")["thresholds"]
    assert lockout["lockout_after_failures_business_software"] == {"2": 5, "3": 5, "4": 5, "5": 5}
    assert "1" not in lockout["lockout_after_failures_business_software"]
    assert "QCVN 12:2026/BCA" in row(doc, "6.2")["source"]


def test_password_history_applies_from_level_3(doc):
    history = row(doc, "6.9")
    assert history["levels"] == [3, 4, 5]
    assert history["thresholds"]["password_history"]["3"] == 10


def test_tcvn_items_stay_unconfirmed(doc):
    items = [r for r in doc["requirements"] if r["assessable"] and r["ref_id"] != "8.5"]
    assert all(not r["official"] and r["source"] for r in items)


@pytest.fixture
def nd331_in_force(db):
    libraries.load_file(ND331)
    return Library.objects.get(urn="urn:citysoc:library:nd331-tcvn14423")


def test_the_12_month_log_rule_is_asked_of_an_isp_not_of_a_ward(nd331_in_force, officer_a):
    ward = factories.make_unit("phuong-x", kind=Unit.Kind.WARD)
    isp = factories.make_unit("isp-x", kind=Unit.Kind.ISP)
    refs = {}
    for unit in (ward, isp):
        system = factories.make_system(unit, name=f"HT {unit.code}", level=3)
        assessment = assessing.start(system, nd331_in_force, by=officer_a)
        refs[unit.code] = set(assessment.items.values_list("requirement__ref_id", flat=True))
    assert "8.5" not in refs["phuong-x"] and "8.5" in refs["isp-x"]
    assert refs["isp-x"] - refs["phuong-x"] == {"8.5", "8.6"}
    assert nd331_in_force.valid_from == datetime.date(2026, 8, 19)


def test_the_decree_331_library_survives_an_excel_round_trip(nd331_in_force, tmp_path):
    xlsx = tmp_path / "nd331.xlsx"
    xlsx.write_bytes(library_sheets.export_workbook(libraries.read_document(ND331)))
    assert libraries.load_file(xlsx).status == "unchanged"
