"""Directives in the browser: a unit officer answers an assignment with an attachment."""

import pytest

from citysoc.directives import issuing
from citysoc.directives.models import Evidence
from tests import factories
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_unit_officer_answers_an_assignment_with_an_attachment(
    page,
    login,
    officer_a,
    city,
    unit_a,
    city_admin,
    tmp_path,
    settings,
):
    settings.MEDIA_ROOT = tmp_path
    directive = factories.make_directive(city, subject="V/v test", recipient_kinds=["ward"])
    issuing.issue(directive, by=city_admin)
    assignment_a = directive.assignments.get(unit=unit_a, item__order=1)
    login("officer_a", PASSWORD)
    page.click("button[data-lang=en]")
    page.wait_for_load_state("networkidle")
    page.goto("/directives/")
    page.click(f"a[href='/directives/assignments/{assignment_a.pk}/']")
    page.select_option("#id_status", "done")
    page.fill("#id_report", "Đã rà soát 14 máy trạm")
    page.click("text=Save the answer")
    page.wait_for_load_state("networkidle")
    proof = tmp_path / "bien-ban.txt"
    proof.write_text("Biên bản rà soát")
    page.set_input_files("#id_file", str(proof))
    page.click("button:has-text('Attach')")
    page.wait_for_load_state("networkidle")
    assert page.locator("a:has-text('bien-ban.txt')").count() == 1
    assert page.locator("dl.fields dd", has_text="Đã rà soát 14 máy trạm").count() == 1
    assignment_a.refresh_from_db()
    assert assignment_a.status == "done"
    assert Evidence.objects.get().filename == "bien-ban.txt"
