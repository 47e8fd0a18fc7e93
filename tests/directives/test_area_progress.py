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


def test_an_area_not_built_yet_says_so_instead_of_showing_nothing(client, officer_a, assignment_a):
    for area in ("botnet", "duty"):
        assignment_a.item.area = area
        assignment_a.item.save()
        text = _area_text(_page(client, officer_a, assignment_a))
        assert text.startswith("This area is not in citysoc yet"), area


def test_an_item_without_an_area_shows_no_area_line(client, officer_a, assignment_a):
    assert 'data-area="' not in _page(client, officer_a, assignment_a)
