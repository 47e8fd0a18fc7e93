"""Directives in the browser: a unit officer answers an assignment with its evidence.

Issue 14 found the page with two forms: status and report were saved, the file picked in
the second form was dropped and the item showed done though its evidence was required.
"""

import pytest
from playwright.sync_api import expect

from citysoc.directives import issuing
from citysoc.directives.models import Evidence
from tests import factories
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def assignment_a(city, unit_a, city_admin):
    directive = factories.make_directive(city, subject="V/v test", recipient_kinds=["ward"])
    directive.items.filter(order=1).update(evidence_required=True)
    issuing.issue(directive, by=city_admin)
    return directive.assignments.get(unit=unit_a, item__order=1)


def test_done_report_and_file_are_saved_by_one_press(
    page, login, officer_a, assignment_a, tmp_path, settings, shot
):
    settings.MEDIA_ROOT = tmp_path
    login("officer_a", PASSWORD)
    page.goto("/directives/")
    page.click(f"a[href='/directives/assignments/{assignment_a.pk}/']")
    page.select_option("#id_status", label="Hoàn thành")
    page.fill("#id_report", "Đã rà soát 14 máy trạm")
    proof = tmp_path / "bien-ban.txt"
    proof.write_text("Biên bản rà soát")
    page.set_input_files("#id_file", str(proof))
    shot(page, "assignment-answer-1366")
    with page.expect_navigation():
        page.click("button:has-text('Lưu báo cáo')")
    expect(page.locator("a:has-text('bien-ban.txt')")).to_have_count(1)
    expect(page.locator("dl.fields dd", has_text="Đã rà soát 14 máy trạm")).to_have_count(1)
    assignment_a.refresh_from_db()
    assert assignment_a.status == "done"
    assert Evidence.objects.get().filename == "bien-ban.txt"


def test_done_without_the_required_file_is_refused_with_a_sentence(
    page, login, officer_a, assignment_a, shot
):
    login("officer_a", PASSWORD)
    page.goto(f"/directives/assignments/{assignment_a.pk}/")
    page.select_option("#id_status", label="Hoàn thành")
    page.fill("#id_report", "Đã rà soát 14 máy trạm")
    with page.expect_navigation():
        page.click("button:has-text('Lưu báo cáo')")
    error = page.locator("[data-testid=answer-form] .has-error .errorlist")
    expect(error).to_contain_text("minh chứng")
    # What the officer typed is still there to send again with the file.
    expect(page.locator("#id_report")).to_have_value("Đã rà soát 14 máy trạm")
    shot(page, "assignment-refused-1366")
    assignment_a.refresh_from_db()
    assert assignment_a.status == "not_started"
    assert not Evidence.objects.exists()
