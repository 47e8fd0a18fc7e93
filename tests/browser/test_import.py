"""Importing hosts from Excel in the browser: preview with errors, valid rows only, progress.

No worker runs beside the live server: tasks are left queued (DummyBackend) and the test
plays the worker, running each queued task itself while the page waits. Meanwhile the
page's status polls are held in the browser (a Playwright route is only served while the
test is inside a Playwright call), so the worker and the live server never use the
database at the same moment, which SQLite's shared in-memory test database would refuse.
"""

import re

import openpyxl
import pytest
from playwright.sync_api import expect

from citysoc.inventory import tasks
from citysoc.inventory.asset_fields import HOST_FIELDS
from citysoc.inventory.models import Host, ImportJob
from tests.browser.actions import switch_language
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADERS = [c.header for c in HOST_FIELDS]
BAD_IPV4 = "10.0.0.300"


@pytest.fixture(autouse=True)
def queued_tasks(settings, tmp_path):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.dummy.DummyBackend",
            "QUEUES": ["default", "imports"],
        }
    }
    settings.MEDIA_ROOT = tmp_path / "media"


def host_row(hostname: str, ipv4: str) -> list[str]:
    values = {"unit": "ward-a", "hostname": hostname, "kind": "Máy chủ", "ipv4": ipv4}
    return [values.get(c.key, "") for c in HOST_FIELDS]


def workbook(path, rows) -> str:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Máy"
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return str(path)


def work_as_the_worker(task) -> None:
    """Run the job's queued task as `db_worker` would; the page's polls wait meanwhile."""
    task.call(ImportJob.objects.get().pk)


def test_an_officer_imports_hosts_seeing_the_bad_row_then_keeping_the_good_ones(
    page, login, officer_a, tmp_path, shot
):
    file = workbook(
        tmp_path / "may-chu.xlsx",
        [
            host_row("srv-web-01", "203.0.113.10"),
            host_row("srv-db-01", BAD_IPV4),
            host_row("srv-mail-01", "203.0.113.12"),
        ],
    )
    page.route("**/inventory/import/*/status/", lambda route: route.continue_())
    login("officer_a", PASSWORD)
    switch_language(page, "en")
    page.click("#sidenav a[href='/inventory/import/']")
    form = page.locator("[data-testid=import-form]")
    form.locator("#id_kind").select_option("hosts")
    form.locator("input[type=file]").set_input_files(file)
    shot(page, "import-start")
    form.locator("button[type=submit]").click()

    # Uploaded: the page waits for the worker.
    expect(page.locator("#import-progress")).to_be_visible()
    shot(page, "import-waiting")
    work_as_the_worker(tasks.check_import)

    # The preview names the bad row and column; nothing is saved yet.
    errors = page.locator("[data-testid=import-errors] tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.locator("td")).to_have_text(["Máy", "3", "Địa chỉ IPv4", re.compile(BAD_IPV4)])
    shot(page, "import-preview")
    assert not Host.objects.exists()
    assert ImportJob.objects.get().status == ImportJob.Status.VALIDATED

    page.check("input[name=valid_only]")
    page.click("form[action$='/confirm/'] button[type=submit]")
    expect(page.locator("#import-progress")).to_be_visible()
    work_as_the_worker(tasks.run_import)

    expect(page.locator("[data-testid=import-status]")).to_have_text("Done")
    expect(page.locator("[data-testid=created]")).to_have_text("2")
    expect(page.locator("[data-testid=rejected]")).to_have_text("1")
    rejected_link = page.locator("a[href$='/rejected/']")
    expect(rejected_link).to_have_count(1)
    shot(page, "import-done")
    assert sorted(Host.objects.values_list("hostname", "ipv4")) == [
        ("srv-mail-01", "203.0.113.12"),
        ("srv-web-01", "203.0.113.10"),
    ]

    with page.expect_download() as download:
        rejected_link.click()
    assert download.value.suggested_filename == "may-chu-rejected.xlsx"
    download.value.save_as(tmp_path / "rejected.xlsx")
    rejected = openpyxl.load_workbook(tmp_path / "rejected.xlsx", read_only=True)
    rows = [r for r in rejected.active.iter_rows(values_only=True) if any(r)]
    assert [r[1] for r in rows[1:]] == ["srv-db-01"]

    page.click("#sidenav a[href='/inventory/hosts/']")
    hosts = page.locator("table.data tbody tr")
    expect(hosts).to_have_count(2)
    expect(hosts.nth(0)).to_contain_text("srv-mail-01")
    expect(hosts.nth(1)).to_contain_text("srv-web-01")
    expect(page.locator("main")).not_to_contain_text("srv-db-01")
    shot(page, "host-list")
