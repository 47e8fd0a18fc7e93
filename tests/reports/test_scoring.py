"""The scoreboard: a transparent weighted score that a hand computation reproduces."""

from __future__ import annotations

import datetime as dt

import pytest

from citysoc.core.models import Unit
from citysoc.reports import scoring
from tests import factories

WEIGHTS = {
    "compliance": 20,
    "vulns": 15,
    "botnet": 20,
    "websites": 10,
    "training": 10,
    "duty": 10,
    "incidents": 5,
    "directives": 10,
}


def test_the_score_matches_a_hand_computation(small_city, unit_a, unit_b):
    rows = scoring.score_units(Unit.objects.all(), small_city, weights=WEIGHTS)
    by_code = {r.unit.code: r for r in rows}
    a = {c.column.key: c.points for c in by_code["ward-a"].cells}
    assert a == {
        "compliance": 62.5,  # (2 + 0.5) / 4
        "vulns": 65.0,  # 100 - 25×1 known exploited past due - 10×1 other past due
        "botnet": 75.0,  # 100 - 10×1 - 15×1
        "websites": None,  # no site watched: weight left out
        "training": None,  # no programme enrolled anyone: weight left out
        "duty": 0.0,  # no roster
        "incidents": None,
        "directives": 50.0,  # 1 of 2 on time
    }
    # (20×62.5 + 15×65 + 20×75 + 10×0 + 10×50) / (20 + 15 + 20 + 10 + 10) = 4225 / 75
    assert by_code["ward-a"].score == 56.3
    # (15×90 + 10×0) / (15 + 10): two components, fewer than the minimum: shown, not ranked
    assert by_code["ward-b"].score == 54.0 and by_code["ward-b"].not_enough_data
    assert [r.unit.code for r in rows if r.rank] == ["ward-a"]


def test_an_area_not_built_is_not_tracked_and_never_a_zero(small_city):
    columns = {c.key: c for c in scoring.columns({**WEIGHTS, "future_area": 5})}
    assert columns["training"].tracked and columns["incidents"].tracked  # both areas built
    assert not columns["future_area"].tracked
    rows = scoring.score_units(Unit.objects.all(), small_city, weights={"future_area": 5})
    assert all(r.score is None for r in rows)  # no figure: no score, not a zero
    assert columns["compliance"].tracked


def test_a_figure_reads_with_a_decimal_comma_in_vietnamese(client_as, small_city, city_admin):
    client = client_as(city_admin)
    client.cookies["citysoc_language"] = "vi"
    body = client.get("/reports/").content.decode()
    assert "62,5% trong 4 yêu cầu đã đánh giá đạt" in body and "62.5%" not in body


def test_the_weights_file_is_shown_on_the_page(client_as, small_city, city_admin):
    body = client_as(city_admin).get("/reports/").content.decode()
    assert 'data-component="incidents"' in body and 'data-component="training"' in body
    assert "Phường Bắc Sơn" in body and "Phường Nam Sơn" in body


def test_the_api_gives_every_units_score_and_components(client_as, small_city, city_admin):
    data = client_as(city_admin).get("/api/scoreboard/").json()
    rows = {r["unit"]: r for r in data["results"]}
    assert rows["ward-a"]["components"]["vulns"]["raw"] == 2
    assert rows["ward-a"]["components"]["incidents"]["raw"] is None
    assert {w["key"] for w in data["weights"]} >= {"compliance", "training"}


def test_a_ward_sees_only_its_own_row(client_as, small_city, officer_b):
    data = client_as(officer_b).get("/api/scoreboard/").json()
    assert [r["unit"] for r in data["results"]] == ["ward-b"]
    body = client_as(officer_b).get("/reports/").content.decode()
    assert "Phường Bắc Sơn" not in body


def test_the_scoreboard_costs_the_same_queries_for_many_units(
    client_as, small_city, city, city_admin, django_assert_max_num_queries
):
    for i in range(20):
        unit = factories.make_unit(f"w{i}", parent=city)
        factories.make_vuln_finding(unit, severity="high")
    client = client_as(city_admin)
    client.get("/reports/")
    with django_assert_max_num_queries(25):
        response = client.get("/reports/")
    assert response.content.decode().count("data-unit=") >= 22


def test_the_weekly_snapshot_gives_the_trend(client_as, small_city, city_admin):
    from citysoc.reports import snapshots
    from citysoc.reports.models import ScoreSnapshot

    assert snapshots.take(small_city - dt.timedelta(days=7)) >= 2
    assert snapshots.take(small_city) >= 2
    assert snapshots.take(small_city) >= 2  # a rerun refreshes the week, adds nothing
    assert ScoreSnapshot.objects.filter(unit__code="ward-a").count() == 2
    trend = snapshots.trend(Unit.objects.all(), small_city)
    assert len(trend[Unit.objects.get(code="ward-a").pk]) == 2


def test_training_completion_is_the_share_of_programme_courses_passed(unit_b, officer_b):
    from citysoc.awareness import programmes
    from citysoc.awareness.models import Enrolment, Programme
    from citysoc.awareness.scores import COMPONENT
    from citysoc.core.models import Person

    Person.objects.create(unit=unit_b, full_name="Trần B", role="operator")
    programme = Programme.objects.create(unit=unit_b, name="Tết", starts_on=dt.date(2027, 1, 4))
    programme.courses.add(factories.make_course())
    programme.audience_units.add(unit_b)
    programmes.assign(programme, today=dt.date(2027, 1, 4))
    first = Enrolment.objects.filter(unit=unit_b).order_by("pk").first()
    Enrolment.objects.filter(pk=first.pk).update(status=Enrolment.Status.PASSED)
    figure = COMPONENT.raw(Unit.objects.all(), dt.date(2027, 1, 10))[unit_b.pk]
    assert (figure.value, COMPONENT.points(figure)) == (50.0, 50.0)


@pytest.mark.usefixtures("english")
def test_a_unit_scored_on_one_component_is_never_ranked_above_the_others(
    client_as, small_city, isp, city_admin
):
    factories.make_vuln_finding(isp, severity="low")  # nothing past due: 100 on one component
    rows = scoring.score_units(Unit.objects.all(), small_city, weights=WEIGHTS)
    by_code = {r.unit.code: r for r in rows}
    assert by_code["isp-vnpt"].score == 100.0 and by_code["isp-vnpt"].rank is None
    assert (rows[0].unit.code, rows[0].rank) == ("ward-a", 1)
    body = client_as(city_admin).get("/reports/").content.decode()
    assert body.index('data-unit="ward-a"') < body.index('data-unit="isp-vnpt"')
    isp_row = body[body.index('data-unit="isp-vnpt"') :].split("</tr>")[0]
    assert "not enough data" in isp_row
    api = {r["unit"]: r for r in client_as(city_admin).get("/api/scoreboard/").json()["results"]}
    assert (api["isp-vnpt"]["ranked"], api["isp-vnpt"]["components_scored"]) == (False, 1)
    assert (api["ward-a"]["ranked"], api["ward-a"]["rank"]) == (True, 1)


@pytest.mark.usefixtures("english")
def test_a_ward_with_too_few_components_sees_why_it_is_not_ranked(client_as, small_city, officer_b):
    body = client_as(officer_b).get("/reports/").content.decode()
    row = body[body.index('data-unit="ward-b"') :].split("</tr>")[0]
    assert "not enough data" in row and "54.0" in row
    assert f"at least {scoring.MIN_COMPONENTS} components" in body
