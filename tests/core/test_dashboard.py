from django.urls import reverse

from citysoc.inventory.dashboard import table_for
from tests.factories import make_domain, make_host, make_range, make_system


def _by_code(dashboard):
    return {row.unit.code: row for row in dashboard.rows}


def test_it_counts_systems_by_level_and_the_unapproved_per_unit(
    city_admin, unit_a, unit_b, sub_unit_a
):
    make_system(
        unit_a,
        level=3,
        dossier_status="approved",
        decision_number="1/QĐ",
        decision_date="2025-02-01",
    )
    make_system(unit_a, level=3)
    make_system(unit_a, level=None)
    make_system(sub_unit_a, level=1)
    make_system(unit_b, level=5)
    make_host(unit_a)
    make_host(unit_a)
    make_range(unit_b, "10.2.0.0/16")
    make_domain(unit_a, "bacson.gov.vn")
    rows = _by_code(table_for(city_admin))
    a = rows["ward-a"]
    assert a.levels == [0, 0, 2, 0, 0, 1]
    assert (a.systems, a.unapproved, a.hosts, a.ranges, a.domains) == (3, 2, 2, 0, 1)
    assert rows["school-a1"].levels == [1, 0, 0, 0, 0, 0]
    assert (rows["ward-b"].ranges, rows["ward-b"].by_level[5]) == (1, 1)
    totals = table_for(city_admin).totals
    assert (totals.systems, totals.unapproved, totals.hosts) == (5, 4, 2)


def test_a_ward_officer_sees_only_their_ward_and_its_sub_units(officer_a, unit_b, sub_unit_a):
    make_system(unit_b, level=2)
    dashboard = table_for(officer_a)
    assert set(_by_code(dashboard)) == {"ward-a", "school-a1"}
    assert dashboard.totals.systems == 0


def test_the_dashboard_costs_the_same_queries_for_many_units(
    client_as, city_admin, city, django_assert_max_num_queries
):
    from tests.factories import make_unit

    for i in range(30):
        unit = make_unit(f"w{i}", parent=city)
        make_system(unit, level=i % 5 + 1)
        make_host(unit)
    client = client_as(city_admin)
    client.get(reverse("core:dashboard"))
    # Twelve for the page and the directives box, two for the empty botnet box, five for the
    # duty box (alert counts, the user's units, who is on duty, sites down, open findings),
    # one for the undelivered-messages box, one for the awareness box; fourteen for the work
    # box (one or two per area that registers work items, whatever the number of units).
    with django_assert_max_num_queries(35):
        response = client.get(reverse("core:dashboard"))
    assert response.content.decode().count("data-unit=") == 31


def test_the_directives_box_costs_the_same_queries_for_many_assignments(
    client_as, city, unit_a, officer_a, city_admin, django_assert_max_num_queries
):
    from citysoc.directives import issuing
    from tests.factories import make_directive

    for i in range(10):
        directive = make_directive(city, subject=f"V/v việc {i}", items=3)
        directive.recipient_units.add(unit_a)
        issuing.issue(directive, by=city_admin)
    for user, marker, shown in (
        (officer_a, "data-assignment=", 8),
        (city_admin, "data-directive=", 5),
    ):
        client = client_as(user)
        client.get(reverse("core:dashboard"))
        # The page's own twenty, plus one: the box adds two (counts, then the rows shown)
        # where the empty box of the test above costs one.
        with django_assert_max_num_queries(37):
            response = client.get(reverse("core:dashboard"))
        assert response.content.decode().count(marker) == shown


def test_the_botnet_box_shows_the_units_own_tasks_most_urgent_first(
    client_as, unit_a, unit_b, officer_a, django_assert_max_num_queries
):
    from citysoc.intel.models import CleanupTask
    from tests.factories import make_range
    from tests.intel.support import import_text

    make_range(unit_a, "198.51.100.0/28")
    make_range(unit_b, "203.0.113.0/28")
    import_text("198.51.100.1\n198.51.100.2\n203.0.113.1\n")
    CleanupTask.objects.filter(ip="198.51.100.2").update(priority=1)
    page = client_as(officer_a).get(reverse("core:dashboard"))
    box = page.context["dashboard"].intel
    assert box.open_count == 2
    assert [t.ip for t in box.tasks] == ["198.51.100.2", "198.51.100.1"]
    body = page.content.decode()
    assert "data-intel-box" in body
    assert "203.0.113.1" not in body


def test_the_duty_box_shows_who_is_on_duty_and_the_units_open_alerts(
    client_as, unit_a, unit_b, officer_a
):
    from citysoc.alerts import intake

    intake.raise_alert(
        unit_a, kind="system", dedup_key="a1", severity="critical", summary="MARK-A portal down"
    )
    intake.raise_alert(
        unit_b, kind="system", dedup_key="b1", severity="high", summary="MARK-B portal down"
    )
    page = client_as(officer_a).get(reverse("core:dashboard"))
    box = page.context["dashboard"].duty
    assert (box.triggered, box.urgent) == (1, 1)
    assert [a.summary for a in box.alerts] == ["MARK-A portal down"]
    # Nobody is rostered in the officer's ward: the box says so rather than staying silent.
    assert [(unit.code, people) for unit, people in box.on_duty] == [("ward-a", [])]
    text = page.content.decode()
    assert "MARK-A portal down" in text and "MARK-B" not in text


def test_a_box_registered_by_an_app_is_shown_without_editing_core(client_as, city_admin):
    # The dashboard asks the landing registry, so a new area only registers its box.
    from citysoc.core import landing

    seen = []

    def box_for(user):
        seen.append(user)
        return {"name": "new area"}

    landing.register("new-area", "core/_delivery_problems.html", box_for, order=5)
    try:
        response = client_as(city_admin).get(reverse("core:dashboard"))
    finally:
        landing._BOXES.pop("new-area")
    assert seen == [city_admin]
    dashboard = response.context["dashboard"]
    assert dashboard.boxes[0][0] == "core/_delivery_problems.html"
    assert dashboard.by_name["new-area"] == {"name": "new area"}
    # The boxes the apps register themselves are still there, in their order.
    assert [name for name in ("duty", "directives", "intel") if name in dashboard.by_name] == [
        "duty",
        "directives",
        "intel",
    ]
