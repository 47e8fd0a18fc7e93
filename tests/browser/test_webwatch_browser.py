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


def test_the_board_shows_hacked_sites_red_with_their_findings_in_view(
    page, officer_a, unit_a, defaced_site, shot
):
    """Issue 14: the defaced site and the one with gambling links showed "Up 100 %" and
    the findings column was off-screen at 1366 px."""
    url = "https://namson.example.gov.vn/"
    gambling = Monitor.objects.create(unit=unit_a, name="Cổng trường", url=url)
    links = CheckFinding("injected_links", "critical", "Hidden links to gambling sites", {})
    recording.record(gambling, SiteResult(url, True, 200, 90, findings=[links]), now=timezone.now())
    healthy_url = "https://yenson.example.gov.vn/"
    healthy = Monitor.objects.create(unit=unit_a, name="Cổng xã", url=healthy_url)
    recording.record(healthy, SiteResult(healthy_url, True, 200, 80), now=timezone.now())

    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, "officer_a", PASSWORD)
    page.goto("/webwatch/")
    rows = page.locator("[data-testid=monitors] tbody tr")
    expect(rows).to_have_count(3)
    # Worst first; the two hacked sites red, the clean one green and last.
    expect(rows.nth(2)).to_contain_text("Cổng xã")
    expect(rows.nth(2).locator("[data-state=up]")).to_have_text("Hoạt động")
    for name, finding in (
        ("Cổng thông tin phường", "Page changed 90% from its baseline"),
        ("Cổng trường", "Hidden links to gambling sites"),
    ):
        row = page.locator("[data-testid=monitors] tbody tr", has_text=name)
        expect(row.locator("[data-state=compromised]")).to_have_text("Bị xâm nhập")
        cell = row.locator("[data-testid=findings-cell]")
        expect(cell).to_contain_text(finding)
        expect(cell).to_be_in_viewport()
        box = cell.bounding_box()
        assert box["x"] + box["width"] <= 1366
    shot(page, "webwatch-board-1366")
