"""Signed acknowledge/resolve links: GET asks, POST acts, a changed or old link is refused."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from citysoc.alerts import links
from citysoc.alerts.models import Alert, AlertLog, AlertSource

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(unit_a):
    source = AlertSource.objects.create(unit=unit_a, kind="generic", name="IDS")
    now = timezone.now()
    return Alert.objects.create(
        unit=unit_a,
        source=source,
        dedup_key="k",
        severity="critical",
        summary="Ransomware note found on file server",
        first_seen=now,
        last_seen=now,
        next_escalation_at=now,
    )


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].partition("/")[2]


def test_opening_the_link_shows_a_confirmation_and_changes_nothing(client, alert):
    url = path_of(links.ack_url(alert, "acknowledge", person="Nguyễn Văn Hải"))
    response = client.get(url)
    assert response.status_code == 200
    assert b'data-testid="link-confirm"' in response.content
    assert "Ransomware note found on file server" in response.content.decode()
    alert.refresh_from_db()
    assert alert.status == "triggered"


def test_the_button_acknowledges_as_the_person_the_link_was_for(client, alert):
    url = path_of(links.ack_url(alert, "acknowledge", person="Nguyễn Văn Hải"))
    response = client.post(url)
    assert b'data-testid="link-done"' in response.content
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_by) == ("acknowledged", "Nguyễn Văn Hải (link)")
    assert alert.next_escalation_at is None
    assert alert.log.filter(kind=AlertLog.Kind.ACKNOWLEDGED, actor="Nguyễn Văn Hải (link)").exists()
    # A second press says there is nothing left to do.
    again = client.post(url)
    assert b'data-testid="link-nothing"' in again.content


def test_the_resolve_link_resolves_an_acknowledged_alert(client, alert):
    client.post(path_of(links.ack_url(alert, "acknowledge", person="A")))
    client.post(path_of(links.ack_url(alert, "resolve", person="B")))
    alert.refresh_from_db()
    assert (alert.status, alert.resolved_by) == ("resolved", "B (link)")


def test_a_changed_link_is_refused_with_a_clear_page(client, alert):
    token = links.make_token(alert.pk, "acknowledge", person="A")
    forged = (
        links.make_token(alert.pk, "resolve", person="A").split(":")[0]
        + ":"
        + token.split(":", 1)[1]
    )
    for bad in (forged, token[:-3] + "abc", "nonsense"):
        response = client.post(f"/alerts/link/{bad}/")
        assert response.status_code == 400
        assert b'data-testid="link-error"' in response.content
    alert.refresh_from_db()
    assert alert.status == "triggered"


def test_an_old_link_has_expired(client, alert):
    url = path_of(links.ack_url(alert, "acknowledge", person="A"))
    with time_machine.travel(timezone.now() + links.MAX_AGE + dt.timedelta(minutes=1)):
        response = client.post(url)
    assert response.status_code == 400
    alert.refresh_from_db()
    assert alert.status == "triggered"


def test_a_link_to_a_deleted_alert_says_so(client, alert):
    url = path_of(links.ack_url(alert, "acknowledge"))
    alert.delete()
    assert client.get(url).status_code == 404
