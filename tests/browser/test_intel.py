"""The botnet list in the browser: the city imports it, the ward cleans its machine.

Tasks run in the request (ImmediateBackend): the import is done when the upload's page
comes back, so the live server alone touches the database and SQLite's shared in-memory
test database is never used by two threads at once.
"""

import pytest
from playwright.sync_api import expect

from citysoc.intel.models import CleanupEvidence, CleanupTask, ListVersion
from tests import factories
from tests.browser.actions import log_in, switch_language
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIST_CSV = (
    "STT,Địa chỉ IP,Loại mã độc,Thời gian phát hiện\n"
    "1,192.0.2.10,mirai,2024-01-05 08:00:00\n"
    "2,203.0.113.99,gafgyt,2024-01-06 09:30:00\n"
    "3,không phải IP,mirai,2024-01-06 10:00:00\n"
)


@pytest.fixture(autouse=True)
def tasks_in_the_request(settings, tmp_path):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "imports"],
        }
    }
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def plan(unit_a, unit_b):
    factories.make_range(unit_a, "192.0.2.0/24")
    factories.make_host(unit_a, hostname="ketoan-01", ipv4="192.0.2.10")
    factories.make_range(unit_b, "198.51.100.0/24")


def test_the_city_imports_a_list_and_ward_a_reports_its_machine_cleaned(
    page, city_admin, officer_a, plan, tmp_path, shot
):
    list_file = tmp_path / "botnet-thang-01.csv"
    list_file.write_text(LIST_CSV, encoding="utf-8")
    log_in(page, "city_admin", PASSWORD)
    switch_language(page, "en")
    page.click("#sidenav a[href='/intel/']")
    form = page.locator("[data-testid=list-upload]")
    form.locator("input[type=file]").set_input_files(str(list_file))
    form.locator("#id_new_source").fill("VNCERT botnet")
    form.locator("#id_period").fill("2024-01")
    shot(page, "intel-upload")
    form.locator("button[type=submit]").click()

    expect(page.locator("[data-testid=version-status]")).to_have_text("Done")
    expect(page.locator("[data-testid=indicators]").first).to_be_visible()
    expect(page.locator("[data-testid=rows]")).to_have_text("3")
    expect(page.locator("[data-testid=rejected]")).to_have_text("1")
    rejected = page.locator("[data-testid=rejected-rows] tbody tr")
    expect(rejected).to_have_count(1)
    expect(rejected.locator("td").nth(1)).to_have_text("không phải IP")
    changes = page.locator("[data-testid=unit-changes] tbody tr")
    expect(changes).to_have_count(1)
    expect(changes).to_contain_text("Phường Bắc Sơn")
    expect(changes).to_contain_text("192.0.2.10")
    shot(page, "intel-version")
    assert ListVersion.objects.get().sightings_count == 1

    page.context.clear_cookies()
    log_in(page, "officer_a", PASSWORD)
    switch_language(page, "en")
    page.goto("/intel/tasks/")
    tasks = page.locator("[data-testid=tasks] tbody tr")
    expect(tasks).to_have_count(1)
    expect(tasks).to_contain_text("ketoan-01")
    tasks.locator("a").first.click()
    expect(page.locator("[data-testid=task-sightings]")).to_contain_text("row 2")
    page.click("[data-testid=start-task]")
    expect(page.locator("[data-testid=task-status]")).to_contain_text("In progress")

    evidence = tmp_path / "ket-qua-quet.txt"
    evidence.write_text("KVRT: 0 threats after removal\n", encoding="utf-8")
    work = page.locator("[data-testid=cleaned-form]")
    work.locator("#id_tool").fill("Kaspersky Virus Removal Tool")
    work.locator("#id_findings").fill("Mirai in C:\\Users\\Public\\svch.exe, removed")
    work.locator("input[type=file]").set_input_files(str(evidence))
    shot(page, "intel-task-work")
    work.locator("button[type=submit]").click()

    expect(page.locator("[data-testid=task-status]")).to_contain_text("Cleaned")
    expect(page.locator("[data-testid=task-evidence]")).to_contain_text("ket-qua-quet.txt")
    shot(page, "intel-task-cleaned")
    task = CleanupTask.objects.get()
    assert (task.status, task.cleaned_by) == (CleanupTask.Status.CLEANED, officer_a)
    assert CleanupEvidence.objects.get(task=task).filename == "ket-qua-quet.txt"
