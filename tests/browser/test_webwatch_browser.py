"""Website watch in the browser: a ward officer reads a defacement finding and accepts the
new page as the baseline.

The monitor's history is recorded in the set-up (no site is fetched), so the live server
alone touches the database while the browser works.
"""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from citysoc.webwatch import recording
from citysoc.webwatch.checks.base import Finding as CheckFinding
from citysoc.webwatch.checks.base import SiteResult
from citysoc.webwatch.models import Finding, Monitor
from tests.browser.actions import log_in, switch_language
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URL = "https://bacson.example.gov.vn/"
DIFF = (
    "--- baseline\n+++ now\n@@ -1,2 +1,2 @@\n-UBND PHƯỜNG BẮC SƠN\n+HACKED BY xXx CREW\n"
    " Địa chỉ: Số 20 đường Bắc Sơn"
)


@pytest.fixture
def defaced_site(unit_a):
    monitor = Monitor.objects.create(unit=unit_a, name="Cổng thông tin phường", url=URL)
    now = timezone.now()
    recording.record(monitor, SiteResult(URL, True, 200, 140, fingerprint={"v": 1}), now=now)
    finding = CheckFinding(
        "defacement",
        "high",
        "Page changed 90% from its baseline",
        {"change": 0.9, "diff": DIFF},
        key="changed",
    )
    result = SiteResult(URL, True, 200, 150, findings=[finding], fingerprint={"v": 2})
    recording.record(monitor, result, now=now)
    return monitor


def test_a_ward_officer_reads_the_evidence_and_accepts_the_new_page(
    page, officer_a, defaced_site, shot
):
    log_in(page, "officer_a", PASSWORD)
    switch_language(page, "en")
    page.click("#sidenav a[href='/webwatch/']")
    row = page.locator("[data-testid=monitors] tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Cổng thông tin phường")
    row.locator("a").first.click()

    finding = page.locator("[data-testid=finding]")
    expect(finding).to_have_count(1)
    expect(finding).to_contain_text("Page changed 90% from its baseline")
    diff = finding.locator("[data-testid=evidence-diff]")
    expect(diff.locator(".diff-del")).to_have_text("-UBND PHƯỜNG BẮC SƠN")
    expect(diff.locator(".diff-add")).to_have_text("+HACKED BY xXx CREW")
    expect(page.locator("[data-testid=response-chart] svg polyline")).to_have_count(1)
    shot(page, "webwatch-monitor")

    page.click("[data-testid=accept-baseline]")
    page.click("[data-testid=confirm-baseline]")
    expect(page.locator(".messages")).to_contain_text("new baseline")
    expect(page.locator("[data-testid=finding]")).to_have_count(0)
    assert Finding.objects.get().status == "resolved"
    defaced_site.refresh_from_db()
    assert defaced_site.baseline == {"v": 2}
