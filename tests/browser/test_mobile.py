"""The site on a phone: the side menu folds behind a toggle button."""

import pytest
from playwright.sync_api import expect

from tests.browser.actions import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_on_a_phone_the_menu_opens_from_the_toggle(phone_page, officer_a, unit_a, shot):
    page = phone_page
    log_in(page, "officer_a", PASSWORD)
    toggle = page.locator("[data-toggle-nav]")
    nav = page.locator("#sidenav")
    expect(toggle).to_be_visible()
    expect(nav).to_be_hidden()
    # Nothing spills out sideways: the page is no wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "phone-dashboard")

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    systems = nav.locator("a[href='/inventory/systems/']")
    expect(systems).to_be_in_viewport()
    shot(page, "phone-menu-open")

    systems.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/inventory/systems/")
    expect(nav).to_be_hidden()
    shot(page, "phone-systems")


def test_on_a_wide_screen_the_menu_shows_without_a_toggle(page, login, officer_a):
    login("officer_a", PASSWORD)
    expect(page.locator("[data-toggle-nav]")).to_be_hidden()
    expect(page.locator("#sidenav")).to_be_visible()
