"""The figures of the item's area in citysoc, shown beside the unit's own report."""

import re

from citysoc.directives.area_progress import progress_for
from tests import factories


def _page(client, user, assignment) -> str:
    client.force_login(user)
    return client.get(f"/directives/assignments/{assignment.pk}/").content.decode()


def _area_text(page: str) -> str:
    match = re.search(r'<dd data-area="\w+">(.*?)</dd>', page, re.S)
    assert match, "the page shows no area figures"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def test_an_inventory_item_counts_the_units_systems_and_its_sub_units(
    assignment_a, unit_a, sub_unit_a, unit_b
):
    assignment_a.item.area = "inventory"
    factories.make_system(unit_a, level=2)
    factories.make_system(
        sub_unit_a,
        level=1,
        dossier_status="approved",
        decision_number="3/QĐ",
        decision_date="2025-02-01",
    )
    factories.make_system(unit_b, level=3)  # another ward's system is not counted
    progress = progress_for(assignment_a.item, unit_a)
    assert progress.tracked
    assert progress.summary == "2 information systems registered, 1 without an approved level"
    assert progress.url.endswith(f"?unit={unit_a.pk}&approved=no")


def test_the_city_drills_from_a_matrix_cell_to_the_units_report_and_figures(
    client, city_admin, issued, unit_a
):
    item = issued.items.get(order=1)
    item.area = "inventory"
    item.save()
    factories.make_system(unit_a, level=2)
    assignment = issued.assignments.get(unit=unit_a, item=item)
    assignment.report = "Đã rà soát 1 hệ thống"
    assignment.save()
    client.force_login(city_admin)
    matrix = client.get(f"/directives/{issued.pk}/matrix/").content.decode()
    cell = f'href="/directives/assignments/{assignment.pk}/"'
    assert cell in matrix
    page = _page(client, city_admin, assignment)
    assert "Đã rà soát 1 hệ thống" in page
    assert _area_text(page) == "1 information systems registered, 1 without an approved level"


def test_every_area_a_directive_item_can_name_has_its_figures():
    from citysoc.directives.area_progress import AREAS
    from citysoc.directives.models import ActionItem

    assert {a for a in ActionItem.Area.values if a} == set(AREAS)


def test_a_botnet_item_counts_the_units_clean_up_tasks(assignment_a, unit_a, unit_b):
    import datetime as dt

    from citysoc.intel.models import CleanupTask, IndicatorSource, ListVersion

    source = IndicatorSource.objects.create(name="NCSC botnet")
    version = ListVersion.objects.create(source=source, filename="botnet.xlsx", sha256="0" * 64)
    late, later = dt.date(2020, 1, 31), dt.date(2999, 1, 31)
    for unit, ip, due, status in (
        (unit_a, "192.0.2.10", late, "open"),
        (unit_a, "192.0.2.11", later, "in_progress"),
        (unit_a, "192.0.2.12", later, "cleaned"),
        (unit_b, "198.51.100.10", late, "open"),  # another ward's task is not counted
    ):
        CleanupTask.objects.create(
            unit=unit, ip=ip, due_date=due, status=status, opened_by_version=version
        )
    assignment_a.item.area = "botnet"
    progress = progress_for(assignment_a.item, unit_a)
    assert progress.summary == (
        "2 botnet clean-up tasks open (1 overdue), 1 reported cleaned and awaiting the next "
        "list, 0 verified clean"
    )
    assert progress.url.endswith(f"?unit={unit_a.pk}")


def test_a_duty_item_names_the_coming_roster_and_its_uncovered_times(assignment_a, unit_a):
    import datetime as dt

    from django.utils import timezone

    from citysoc.duty.models import Roster

    assignment_a.item.area = "duty"
    assert progress_for(assignment_a.item, unit_a).summary.startswith("No duty roster")
    start = timezone.localdate() + dt.timedelta(days=3)
    Roster.objects.create(
        unit=unit_a, name="Trực Tết", starts_on=start, ends_on=start + dt.timedelta(days=1)
    )
    summary = progress_for(assignment_a.item, unit_a).summary
    assert summary.startswith(
        f"1 duty rosters current or coming; the first, Trực Tết ({start:%d/%m/%Y}"
    )
    assert summary.endswith("has 1 times with nobody on duty")  # no shift at all: one gap


def test_an_item_without_an_area_shows_no_area_line(client, officer_a, assignment_a):
    assert 'data-area="' not in _page(client, officer_a, assignment_a)
