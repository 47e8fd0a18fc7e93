"""Item 4 in a real browser: the policy is enforced, and our own pages break none of it.

Headless Chromium records every Content-Security-Policy violation on the pages a duty
officer uses most (the self-refreshing alert list, an alert with outside links); an
injected inline handler must be refused, and nothing of ours may be.
"""

from __future__ import annotations

import pytest

from citysoc.alerts import intake
from citysoc.alerts.models import AlertSource
from citysoc.alerts.sources.base import Event
from tests.browser.actions import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture
def alert_with_links(unit_a):
    source = AlertSource(unit=unit_a, kind="alertmanager", name="Prometheus")
    source.new_token()
    source.save()
    event = Event(
        action="trigger",
        dedup_key="down",
        severity="critical",
        source="alertmanager",
        summary="web01 is down",
        details={},
        occurred_at=None,
        links=["javascript:window.__clicked=1", "https://wiki.example/runbooks/down"],
    )
    return intake.ingest(source, [event]).alert_ids[0]


def test_pages_run_under_the_policy_and_a_script_link_does_nothing(
    page,  # noqa: F811
    officer_a,
    alert_with_links,
):
    page.add_init_script(RECORD_VIOLATIONS)
    log_in(page, "officer_a", PASSWORD)
    for path in ("/", "/inventory/hosts/", "/alerts/", f"/alerts/{alert_with_links}/"):
        page.goto(path)
        assert page.evaluate("window.__csp") == [], path

    # The javascript: address is text, not a link; the web one opens apart, without referrer.
    assert page.locator("a[href^='javascript']").count() == 0
    page.get_by_text("javascript:window.__clicked=1").click()
    assert page.evaluate("window.__clicked") is None
    runbook = page.locator("a[href='https://wiki.example/runbooks/down']")
    assert runbook.get_attribute("rel") == "noopener noreferrer"

    # A tag that slipped past escaping would still not run: the policy refuses it.
    page.evaluate(
        """document.body.insertAdjacentHTML("beforeend",
             '<img src="/static/citysoc/favicon.svg" onload="window.__ran = 1">')"""
    )
    page.wait_for_timeout(500)
    assert page.evaluate("window.__ran") is None
    assert any("script-src" in v for v in page.evaluate("window.__csp"))
