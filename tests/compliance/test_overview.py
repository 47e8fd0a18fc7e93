"""The city's compliance view: heatmap figures, systems needing a level or an assessment,
and who may open the city pages and which unit's gap report."""

from __future__ import annotations

import datetime as dt
import io
import itertools

import openpyxl
import pytest
from django.utils import timezone

from citysoc.compliance import duties, overview
from citysoc.compliance.models import Assessment, AssessmentItem, Duty, Library, Requirement
from citysoc.core.models import Unit
from citysoc.inventory.models import InformationSystem, SecurityRegime
from tests import factories

_seq = itertools.count(1)
# Two groups of two requirements, all at level 3.
NODES = [("1", None), ("1.1", "1"), ("1.2", "1"), ("2", None), ("2.1", "2"), ("2.2", "2")]


def make_library(ref_id: str = "CITY") -> Library:
    """A library of the regime in force today: groups 1 and 2, two level-3 items each."""
    today = timezone.localdate()
    regime = SecurityRegime.in_force(today)
    library = Library.objects.create(
        urn=f"urn:test:city:{next(_seq)}",
        ref_id=ref_id,
        name=f"Bộ tiêu chí {ref_id}",
        regime=regime,
        valid_from=regime.valid_from,
    )
    made: dict[str, Requirement] = {}
    for order, (ref, parent) in enumerate(NODES, start=1):
        made[ref] = Requirement.objects.create(
            library=library,
            urn=f"{library.urn}:{ref}",
            ref_id=ref,
            parent=made.get(parent),
            order=order,
            depth=ref.count(".") + 1,
            assessable=parent is not None,
            title=f"Yêu cầu {ref}",
            levels=[3],
        )
    return library


def make_duty(library: Library, *, every_months: int = 12, levels=(3,), **extra) -> Duty:
    return Duty.objects.create(
        library=library,
        urn=f"{library.urn}:duty:{next(_seq)}",
        code=extra.pop("code", "assess-level-3"),
        title=extra.pop("title", "Kiểm tra, đánh giá HTTT cấp độ 3 hằng năm"),
        levels=list(levels),
        every_months=every_months,
        **extra,
    )


def assess(
    system: InformationSystem,
    library: Library,
    answers: dict[str, str],
    *,
    completed: dt.date | None = None,
    **gap,
) -> Assessment:
    """An assessment with the given status per requirement ref (others not assessed)."""
    assessment = Assessment.objects.create(
        unit=system.unit,
        system=system,
        library=library,
        level=3,
        status=Assessment.Status.COMPLETED if completed else Assessment.Status.IN_PROGRESS,
        started_on=completed or timezone.localdate(),
        completed_on=completed,
    )
    for requirement in library.requirements.filter(assessable=True):
        status = answers.get(requirement.ref_id, AssessmentItem.Status.NOT_ASSESSED)
        is_gap = status in AssessmentItem.GAPS
        AssessmentItem.objects.create(
            assessment=assessment,
            requirement=requirement,
            status=status,
            gap_owner=gap.get("owner", "") if is_gap else "",
            gap_due=gap.get("due") if is_gap else None,
        )
    return assessment


def approved(unit: Unit, name: str) -> InformationSystem:
    return factories.make_system(
        unit,
        name=name,
        level=3,
        dossier_status=InformationSystem.Dossier.APPROVED,
        decision_number="12/QĐ-UBND",
        decision_date=dt.date(2025, 3, 1),
    )


MET, PARTLY, NOT_MET, NA = "met", "partly", "not_met", "not_applicable"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def library(db):
    return make_library()


@pytest.fixture
def assessed(library, unit_a, unit_b):
    """Ward A: two systems (75 % and 50 % overall); ward B: one system, all met."""
    a1, a2 = approved(unit_a, "A1 Một cửa"), approved(unit_a, "A2 Thư điện tử")
    b1 = approved(unit_b, "B1 Cổng thông tin")
    done = timezone.localdate() - dt.timedelta(days=30)
    assess(a1, library, {"1.1": MET, "1.2": MET, "2.1": MET, "2.2": NOT_MET}, completed=done)
    assess(a2, library, {"1.1": PARTLY, "1.2": NOT_MET, "2.1": NA, "2.2": MET}, completed=done)
    assess(b1, library, {"1.1": MET, "1.2": MET, "2.1": MET, "2.2": MET}, completed=done)
    return {"a1": a1, "a2": a2, "b1": b1}


def _heatmap(library):
    return overview.heatmap(
        Unit.objects.all(), InformationSystem.objects.all(), Assessment.objects.all(), library
    )


def test_the_heatmap_averages_each_units_systems_per_group(assessed, library, unit_a, unit_b):
    heat = _heatmap(library)
    assert [g.ref_id for g in heat.groups] == ["1", "2"]
    rows = {r.unit.code: r for r in heat.rows}
    assert set(rows) == {"ward-a", "ward-b"}
    # A1: group 1 100 %, group 2 50 %; A2: group 1 (½ + 0)/2 = 25 %, group 2 1/1 = 100 %.
    assert [c.score for c in rows["ward-a"].cells] == [62.5, 75.0]
    assert rows["ward-a"].score.score == 62.5  # (75 + 50) / 2
    assert [c.score for c in rows["ward-b"].cells] == [100.0, 100.0]
    assert [c.css for c in rows["ward-a"].cells] == ["hm-mid", "hm-mid"]
    assert rows["ward-b"].cells[0].css == "hm-full"
    assert (rows["ward-a"].assessed, rows["ward-a"].systems) == (2, 2)


def test_only_the_latest_assessment_of_a_system_counts(assessed, library):
    assess(assessed["b1"], library, {"1.1": NOT_MET, "1.2": NOT_MET, "2.1": MET, "2.2": MET})
    rows = {r.unit.code: r for r in _heatmap(library).rows}
    assert [c.score for c in rows["ward-b"].cells] == [0.0, 100.0]


def test_the_city_page_shows_the_heatmap_and_systems_by_level(client_as, city_admin, assessed):
    page = client_as(city_admin).get("/compliance/city/").content.decode()
    assert '<tr data-unit="ward-a">' in page
    assert 'class="hm hm-mid" data-group="1">62.5<' in page
    assert 'class="hm hm-full" data-group="2">100.0<' in page
    assert '<tr data-level="3">' in page
    assert "compliance/compliance.css" in page
    assert "/compliance/city/gap-report.docx?unit=ward-b" in page


def test_systems_never_assessed_or_assessed_too_long_ago_are_listed(library, unit_a, unit_b):
    make_duty(library, every_months=12)
    today = timezone.localdate()
    approved(unit_a, "Never assessed")
    old = approved(unit_a, "Assessed 13 months ago")
    assess(old, library, {}, completed=today - dt.timedelta(days=400))
    recent = approved(unit_b, "Assessed 2 months ago")
    assess(recent, library, {}, completed=today - dt.timedelta(days=60))
    in_progress = approved(unit_b, "Only an assessment in progress")
    assess(in_progress, library, {})
    no_level = factories.make_system(unit_b, name="No level yet", level=None)
    listed = {
        a.system.name: a for a in overview.needing_attention(InformationSystem.objects.all(), today)
    }
    assert set(listed) == {
        "Never assessed",
        "Assessed 13 months ago",
        "Only an assessment in progress",
        "No level yet",
    }
    assert listed["Never assessed"].never_assessed
    last = today - dt.timedelta(days=400)
    assert listed["Assessed 13 months ago"].assessment_due == duties.add_months(last, 12)
    assert listed["No level yet"].level_missing
    assert recent.pk not in [a.system.pk for a in listed.values()]
    assert no_level.pk in [a.system.pk for a in listed.values()]


def test_without_a_reassessment_duty_only_systems_never_assessed_are_listed(library, unit_a):
    today = timezone.localdate()
    old = approved(unit_a, "Assessed 3 years ago")
    assess(old, library, {}, completed=today - dt.timedelta(days=3 * 365))
    never = approved(unit_a, "Never assessed")
    listed = [a.system for a in overview.needing_attention(InformationSystem.objects.all(), today)]
    assert listed == [never]


def test_a_unit_user_gets_403_on_the_city_pages_and_only_their_units_report(
    client_as, officer_a, assessed
):
    client = client_as(officer_a)
    assert client.get("/compliance/city/").status_code == 403
    assert client.get("/compliance/city/export.xlsx").status_code == 403
    own = client.get("/compliance/city/gap-report.docx?unit=ward-a")
    assert own.status_code == 200
    assert own["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.word")
    assert client.get("/compliance/city/gap-report.docx?unit=ward-b").status_code == 404
    assert client.get("/compliance/city/gap-report.docx?unit=city").status_code == 404
    assert client.get("/compliance/city/gap-report.docx").status_code == 200  # their own unit


def test_a_city_viewer_opens_the_city_pages(client_as, viewer, assessed):
    client = client_as(viewer)
    assert client.get("/compliance/city/").status_code == 200
    assert client.get("/compliance/city/gap-report.docx?unit=ward-b").status_code == 200


def test_the_workbook_lists_systems_scores_and_gaps(client_as, city_admin, assessed):
    response = client_as(city_admin).get("/compliance/city/export.xlsx")
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Hệ thống", "Điểm theo nhóm", "Tồn tại", "Bản đồ nhiệt"]
    systems = {row[2]: row for row in wb["Hệ thống"].iter_rows(min_row=2, values_only=True)}
    assert systems["A1 Một cửa"][3] == 3
    assert systems["A1 Một cửa"][5] == "Đã phê duyệt"
    assert (systems["A1 Một cửa"][11], systems["A1 Một cửa"][12]) == (75.0, 1)
    assert (systems["A2 Thư điện tử"][11], systems["A2 Thư điện tử"][12]) == (50.0, 2)
    gaps = [(r[1], r[2], r[4]) for r in wb["Tồn tại"].iter_rows(min_row=2, values_only=True)]
    assert sorted(gaps) == [
        ("A1 Một cửa", "2.2", "Chưa đạt"),
        ("A2 Thư điện tử", "1.1", "Một phần"),
        ("A2 Thư điện tử", "1.2", "Chưa đạt"),
    ]
    groups = [r[:6] for r in wb["Điểm theo nhóm"].iter_rows(min_row=2, values_only=True)]
    assert ("Phường Bắc Sơn", "A2 Thư điện tử", "CITY", "1", "Yêu cầu 1", 25.0) in groups
    heat = list(wb["Bản đồ nhiệt"].iter_rows(min_row=4, values_only=True))
    assert ("Phường Bắc Sơn", 2, 2, 62.5, 62.5, 75.0) in heat


def _queries_for_city_page(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get("/compliance/city/").status_code == 200
    return len(captured)


def test_the_city_page_costs_the_same_queries_for_more_systems(
    client_as, city_admin, library, unit_a, unit_b
):
    make_duty(library)
    client = client_as(city_admin)
    done = timezone.localdate() - dt.timedelta(days=30)
    for n in range(2):
        assess(approved(unit_a, f"A{n}"), library, {"1.1": MET}, completed=done)
    _queries_for_city_page(client)  # the first request after signing in also writes the session
    few = _queries_for_city_page(client)
    for n in range(2, 8):
        unit = unit_a if n % 2 else unit_b
        assess(approved(unit, f"S{n}"), library, {"1.1": MET, "2.2": NOT_MET}, completed=done)
    assert _queries_for_city_page(client) == few
