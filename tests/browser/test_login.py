"""Logging in and reading the site in Vietnamese or English."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from citysoc.core.models import AuditEntry
from tests.browser.actions import switch_language
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VI_CATALOGUE = Path(__file__).resolve().parents[2] / "src/citysoc/locale/vi/LC_MESSAGES/django.mo"


def nav_link(page, label: str):
    return page.locator("#sidenav a", has_text=label)


def test_an_officer_logs_in_and_switches_to_english_and_back(page, login, officer_a, shot):
    login("officer_a", PASSWORD)
    assert page.url.endswith("/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    shot(page, "dashboard-vi")
    assert AuditEntry.objects.filter(action="login", object_repr__contains="officer_a").exists()

    switch_language(page, "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(nav_link(page, "Information systems")).to_have_count(1)
    expect(page.locator("button", has_text="Log out")).to_have_count(1)
    expect(page.locator("button[data-lang=en]")).to_have_attribute("aria-current", "true")
    shot(page, "dashboard-en")

    switch_language(page, "vi")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("button[data-lang=vi]")).to_have_attribute("aria-current", "true")
    if VI_CATALOGUE.exists():
        expect(nav_link(page, "Information systems")).to_have_count(0)
        expect(page.locator("button", has_text="Log out")).to_have_count(0)
    # The choice is remembered: the next page comes in Vietnamese without asking again.
    page.goto("/inventory/systems/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")


def test_a_wrong_password_keeps_the_user_out(page, login, officer_a):
    login("officer_a", "not-the-password")
    assert "/accounts/login/" in page.url
    expect(page.locator(".error")).to_have_count(1)
    expect(page.locator("#sidenav")).to_have_count(0)
    logins = AuditEntry.objects.filter(action__startswith="login")
    assert list(logins.values_list("action", flat=True)) == ["login_failed"]
