"""The site on a phone (390 CSS pixels): the side menu folds behind a toggle button, no
page scrolls sideways (data matrices scroll inside their own box), lists become cards with
the row's main action first (issue 14: the ward landing page was 486 px wide and the
acknowledge button of /alerts/ was off-screen)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from citysoc.alerts.models import AlertSource
from citysoc.alerts.sources.base import Event
from citysoc.core.context import NAVIGATION
from citysoc.directives import issuing
from citysoc.webwatch import recording
from citysoc.webwatch.checks.base import Finding as CheckFinding
from citysoc.webwatch.checks.base import SiteResult
from citysoc.webwatch.models import Monitor
from tests import factories
from tests.browser.actions import log_in
from tests.factories import PASSWORD
from tests.intel.support import import_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 390
LONG_TASK = (
    "Rà soát toàn bộ hệ thống thông tin đơn vị đang quản lý, bảo đảm mỗi hệ thống đã áp "
    "dụng đầy đủ các biện pháp bảo vệ tương ứng với cấp độ an toàn của hệ thống."
)


def test_on_a_phone_the_menu_opens_from_the_toggle(phone_page, officer_a, unit_a, shot):
    page = phone_page
    log_in(page, "officer_a", PASSWORD)
    toggle = page.locator("[data-toggle-nav]")
    nav = page.locator("#sidenav")
    expect(toggle).to_be_visible()
    expect(nav).to_be_hidden()
    # Nothing spills out sideways: the page is no wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    shot(page, "phone-dashboard")

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    systems = nav.locator("a[href='/inventory/systems/']")
    expect(systems).to_be_in_viewport()
    shot(page, "phone-menu-open")

    with page.expect_navigation():
        systems.click()
    assert page.url.endswith("/inventory/systems/")
    expect(nav).to_be_hidden()
    shot(page, "phone-systems")


def test_on_a_wide_screen_the_menu_shows_without_a_toggle(page, login, officer_a):
    login("officer_a", PASSWORD)
    expect(page.locator("[data-toggle-nav]")).to_be_hidden()
    expect(page.locator("#sidenav")).to_be_visible()


@pytest.fixture
def busy_ward(city, unit_a, city_admin):
    """A ward with what makes pages wide: long directive tasks, open alerts, a hacked site."""
    directive = factories.make_directive(city, subject="V/v Tết", recipient_kinds=["ward"])
    directive.items.update(text=LONG_TASK)
    issuing.issue(directive, by=city_admin)
    source = AlertSource(unit=unit_a, kind="generic", name="Wazuh phường Bắc Sơn")
    source.new_token()
    source.save()
    from citysoc.alerts import intake

    intake.ingest(
        source,
        [
            Event(
                action="trigger",
                dedup_key=f"k{i}",
                severity="high",
                source="wazuh",
                summary=f"Tấn công dò mật khẩu SSH từ 203.0.113.{i} vào máy chủ cổng thông tin",
                details={},
                occurred_at=timezone.now(),
            )
            for i in range(3)
        ],
    )
    url = "https://bacson-cong-thong-tin-dien-tu.example.gov.vn/trang-chu/index.html"
    monitor = Monitor.objects.create(unit=unit_a, name="Cổng thông tin phường", url=url)
    hacked = CheckFinding("injected_links", "critical", "Hidden links to gambling sites", {})
    # A botnet clean-up task for the ward's host (the landing page's botnet box).
    factories.make_range(unit_a, "198.51.100.0/26")
    factories.make_host(unit_a, hostname="ketoan-phuong-bac-son-01", ipv4="198.51.100.10")
    import_text("198.51.100.10 # mirai-variant-with-a-long-family-name\n")
    recording.record(monitor, SiteResult(url, True, 200, 90, findings=[hacked]), now=timezone.now())
    return directive


def _main_pages() -> list[str]:
    from django.urls import NoReverseMatch, reverse

    pages = []
    for name, _label in NAVIGATION:
        try:
            pages.append(reverse(name))
        except NoReverseMatch:
            continue  # an area not built yet: greyed in the menu, no page
    return pages + ["/directives/assignments/", "/duty/board/", "/intel/tasks/"]


def test_no_main_page_scrolls_sideways_on_a_phone(phone_page, officer_a, busy_ward, shot):
    page = phone_page
    log_in(page, "officer_a", PASSWORD)
    too_wide = {}
    # A data matrix scrolls inside its own box, never the page.
    for path in [*_main_pages(), f"/directives/{busy_ward.pk}/matrix/"]:
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE:
            too_wide[path] = width
        shot(page, "phone" + path.replace("/", "-").rstrip("-"))
    assert too_wide == {}


def test_on_a_phone_lists_are_cards_with_the_action_first(phone_page, officer_a, busy_ward, shot):
    page = phone_page
    log_in(page, "officer_a", PASSWORD)
    # The landing page's task list: each task a card, its text on a few full-width lines.
    task = page.locator("a", has_text=LONG_TASK[:30]).first
    expect(task).to_be_visible()
    box = task.bounding_box()
    assert box["x"] + box["width"] <= PHONE
    assert box["height"] < 8 * 22, "the task text wraps to a narrow column"

    page.goto("/alerts/")
    row = page.locator("[data-testid=alerts] tbody tr[data-id]").first
    ack = row.locator("[data-testid=ack]")
    expect(ack).to_be_in_viewport()
    box = ack.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE
    # The action leads its card: above the summary it acts on.
    assert box["y"] < row.locator("[data-testid=alert-summary]").bounding_box()["y"]
    shot(page, "phone-alerts-cards")

    page.goto("/webwatch/")
    state = page.locator("[data-testid=monitors] [data-state=compromised]").first
    expect(state).to_be_in_viewport()
    shot(page, "phone-webwatch")


def test_on_a_wide_screen_the_scoreboard_keeps_names_and_figures_readable(
    page, login, city_admin, unit_a, unit_b
):
    # Eight component columns used to squeeze a unit's name to one word a line.
    page.set_viewport_size({"width": 1366, "height": 900})
    login("city_admin", PASSWORD)
    page.goto("/reports/")
    name = page.locator("[data-testid=scoreboard] td.card-title").first
    figure = page.locator("[data-testid=scoreboard] td[data-component]").first
    assert name.bounding_box()["width"] >= 9 * 16
    assert figure.bounding_box()["width"] >= 11 * 16
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
