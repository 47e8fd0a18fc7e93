"""The duty officer's live alert list: a new alert appears without reloading, and one click
acknowledges it.

The alert is posted to the HTTP intake through the live server (as a monitoring tool
would), so the live server alone touches the database while the page is open.
"""

import json

import pytest
from playwright.sync_api import expect

from citysoc.alerts import escalation
from citysoc.alerts.models import Alert, AlertSource
from tests.browser.actions import log_in, switch_language
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def tasks_in_the_request(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def refresh_soon(monkeypatch):
    """The list refreshes itself every 2 s instead of 10 (the page reads the view's value):
    the test waits for one refresh, not for most of ten seconds."""
    from citysoc.alerts import views

    monkeypatch.setattr(views, "REFRESH_SECONDS", 2)


@pytest.fixture
def source_token(unit_a):
    escalation.default_policy()
    source = AlertSource(unit=unit_a, kind="generic", name="Zabbix phường")
    token = source.new_token()
    source.save()
    return token


def test_a_new_alert_appears_and_is_acknowledged_from_the_list(
    page, live_server, officer_a, source_token, shot
):
    log_in(page, "officer_a", PASSWORD)
    switch_language(page, "en")
    page.click("#sidenav a[href='/alerts/']")
    rows = page.locator("[data-testid=alerts] tbody tr[data-id]")
    expect(rows).to_have_count(0)

    alert = {
        "summary": "Website defaced: portal home page changed",
        "severity": "critical",
        "dedup_key": "portal-defaced",
        "host": "portal.example.gov.vn",
    }
    response = page.request.post(
        f"{live_server.url}/api/alerts/intake/generic/",
        headers={"Authorization": f"Bearer {source_token}", "Content-Type": "application/json"},
        data=json.dumps(alert),
    )
    assert response.status in (200, 202), response.text()

    # No reload: the list polls every REFRESH_SECONDS (2 s here).
    expect(rows).to_have_count(1, timeout=25_000)
    row = rows.first
    expect(row).to_contain_text("Website defaced")
    expect(row).to_have_class("alert-new")
    expect(page.locator("[data-count=triggered]")).to_have_text("1")
    shot(page, "alerts-new")

    row.locator("[data-testid=ack]").click()
    page.wait_for_load_state("networkidle")
    row = page.locator("[data-testid=alerts] tbody tr[data-id]").first
    expect(row.locator("[data-testid=alert-status]")).to_contain_text("Acknowledged")
    expect(row.locator("[data-testid=acknowledged-by]")).to_contain_text("Officer_A")
    shot(page, "alerts-acknowledged")
    assert Alert.objects.get().status == "acknowledged"
