"""The duty officer's pages: the live list, an alert's timeline, acting, policies."""

from __future__ import annotations

import pytest
from django.utils import timezone

from citysoc.alerts import escalation, intake
from citysoc.alerts.models import Alert, AlertLog, AlertSource, EscalationPolicy
from citysoc.alerts.sources.base import Event
from citysoc.notify.models import Channel

pytestmark = pytest.mark.django_db


def event(key: str, severity: str = "high") -> Event:
    return Event(
        action="trigger",
        dedup_key=key,
        severity=severity,
        source="generic",
        summary=f"MARK {key}",
        details={"rule": key},
        occurred_at=timezone.now(),
    )


@pytest.fixture
def sources(unit_a, unit_b):
    escalation.default_policy()
    return {
        "a": AlertSource.objects.create(unit=unit_a, kind="generic", name="IDS A"),
        "b": AlertSource.objects.create(unit=unit_b, kind="generic", name="IDS B"),
    }


@pytest.fixture
def alerts(sources):
    intake.ingest(sources["a"], [event("a-disk"), event("a-scan", "critical")])
    intake.ingest(sources["b"], [event("b-disk")])
    return {a.dedup_key: a for a in Alert.objects.all()}


def test_the_list_shows_only_my_units_alerts_open_first(client_as, officer_a, alerts):
    intake.resolve(alerts["a-disk"], by="x")
    page = client_as(officer_a).get("/alerts/").content.decode()
    assert "MARK a-scan" in page and "MARK b-disk" not in page
    assert "MARK a-disk" not in page  # resolved: not in the default "open" view
    every = client_as(officer_a).get("/alerts/?status=all").content.decode()
    assert every.index("MARK a-scan") < every.index("MARK a-disk")


def test_a_city_role_sees_every_ward(client_as, viewer, alerts):
    page = client_as(viewer).get("/alerts/").content.decode()
    assert "MARK a-scan" in page and "MARK b-disk" in page


def test_filters_narrow_the_list(client_as, city_admin, alerts, sources):
    client = client_as(city_admin)
    page = client.get("/alerts/?severity=critical").content.decode()
    assert "MARK a-scan" in page and "MARK a-disk" not in page
    page = client.get("/alerts/?unit=ward-b").content.decode()
    assert "MARK b-disk" in page and "MARK a-scan" not in page
    page = client.get(f"/alerts/?source={sources['a'].pk}").content.decode()
    assert "MARK a-disk" in page and "MARK b-disk" not in page


def test_the_refresh_endpoint_returns_rows_and_counts(client_as, officer_a, alerts):
    data = client_as(officer_a).get("/alerts/rows/").json()
    assert data["counts"] == {"triggered": 2, "acknowledged": 0, "resolved_today": 0}
    assert "MARK a-scan" in data["rows"] and "MARK b-disk" not in data["rows"]
    assert 'data-testid="ack"' in data["rows"]


def test_the_list_costs_a_fixed_number_of_queries(
    client_as, officer_a, sources, django_assert_max_num_queries
):
    intake.ingest(sources["a"], [event(f"k{i}") for i in range(30)])
    client = client_as(officer_a)
    with django_assert_max_num_queries(12):
        client.get("/alerts/")


def test_acknowledge_from_the_list_records_who(client_as, officer_a, alerts):
    alert = alerts["a-scan"]
    response = client_as(officer_a).post(f"/alerts/{alert.pk}/acknowledge/", {"next": "/alerts/"})
    assert response.status_code == 302 and response.url == "/alerts/"
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_by) == ("acknowledged", "Officer_A")
    client_as(officer_a).post(f"/alerts/{alert.pk}/resolve/")
    alert.refresh_from_db()
    assert alert.status == "resolved"


def test_an_outside_next_is_ignored(client_as, officer_a, alerts):
    alert = alerts["a-scan"]
    response = client_as(officer_a).post(
        f"/alerts/{alert.pk}/acknowledge/", {"next": "https://evil.example/"}
    )
    assert response.url == f"/alerts/{alert.pk}/"


def test_a_viewer_cannot_act_and_another_ward_cannot_see(client_as, viewer_a, officer_b, alerts):
    alert = alerts["a-scan"]
    assert client_as(viewer_a).post(f"/alerts/{alert.pk}/acknowledge/").status_code == 403
    assert client_as(officer_b).get(f"/alerts/{alert.pk}/").status_code == 404
    assert client_as(officer_b).post(f"/alerts/{alert.pk}/resolve/").status_code == 404
    alert.refresh_from_db()
    assert alert.status == "triggered"


def test_the_timeline_shows_who_was_told_through_which_channel(client_as, officer_a, alerts):
    escalation.run_due()
    alert = alerts["a-scan"]
    client = client_as(officer_a)
    client.post(f"/alerts/{alert.pk}/note/", {"text": "Đang kiểm tra máy chủ"})
    page = client.get(f"/alerts/{alert.pk}/").content.decode()
    assert 'data-kind="triggered"' in page and 'data-kind="notified"' in page
    assert "officer_a@example.gov.vn" in page
    assert 'data-delivery-status="queued"' in page
    assert "Đang kiểm tra máy chủ" in page
    assert 'data-testid="event-count">1<' in page


def test_the_policy_pages_make_and_change_a_units_policy(client_as, officer_a, unit_a):
    client = client_as(officer_a)
    city = escalation.default_policy()
    assert city.name in client.get("/alerts/policies/").content.decode()
    channel = Channel.objects.create(
        unit=unit_a, kind="email", name="Nhóm trực", config={"addresses": ["t@example.gov.vn"]}
    )
    form = {
        "name": "Phường A",
        "unit": unit_a.pk,
        "is_default": "on",
        "repeat": 1,
        "steps-TOTAL_FORMS": 2,
        "steps-INITIAL_FORMS": 0,
        "steps-0-position": 1,
        "steps-0-target": "on_duty",
        "steps-0-wait_minutes": 5,
        "steps-1-position": 2,
        "steps-1-target": "channel",
        "steps-1-channel": channel.pk,
        "steps-1-wait_minutes": 10,
    }
    response = client.post("/alerts/policies/new/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    policy = EscalationPolicy.objects.get(unit=unit_a)
    assert list(policy.steps.values_list("position", "target", "wait_minutes")) == [
        (1, "on_duty", 5),
        (2, "channel", 10),
    ]
    # Swap the two steps' order.
    steps = list(policy.steps.order_by("position"))
    edit = {
        **form,
        "steps-INITIAL_FORMS": 2,
        "steps-0-id": steps[0].pk,
        "steps-0-position": 2,
        "steps-1-id": steps[1].pk,
        "steps-1-position": 1,
    }
    response = client.post(f"/alerts/policies/{policy.pk}/", edit)
    assert response.status_code == 302
    assert list(policy.steps.order_by("position").values_list("target", flat=True)) == [
        "channel",
        "on_duty",
    ]


def test_a_channel_step_needs_a_channel_and_a_ward_cannot_make_city_policies(client_as, officer_a):
    form = {
        "name": "X",
        "repeat": 1,
        "steps-TOTAL_FORMS": 1,
        "steps-INITIAL_FORMS": 0,
        "steps-0-position": 1,
        "steps-0-target": "channel",
        "steps-0-wait_minutes": 5,
    }
    response = client_as(officer_a).post("/alerts/policies/new/", form)
    assert response.status_code == 200
    assert not EscalationPolicy.objects.filter(name="X").exists()


def test_the_city_policy_is_read_only_for_a_ward(client_as, officer_a):
    policy = escalation.default_policy()
    client = client_as(officer_a)
    page = client.get(f"/alerts/policies/{policy.pk}/").content.decode()
    assert 'data-testid="policy-form"' not in page
    assert client.post(f"/alerts/policies/{policy.pk}/", {"name": "mine"}).status_code == 403


def test_a_wards_policy_is_hidden_from_the_other_ward(client_as, officer_b, unit_a):
    policy = EscalationPolicy.objects.create(unit=unit_a, name="MARK ward A policy")
    client = client_as(officer_b)
    assert client.get(f"/alerts/policies/{policy.pk}/").status_code == 404
    assert "MARK ward A policy" not in client.get("/alerts/policies/").content.decode()


def test_the_note_is_written_in_the_timeline(client_as, officer_a, alerts):
    alert = alerts["a-disk"]
    client_as(officer_a).post(f"/alerts/{alert.pk}/note/", {"text": "Gọi cho nhà mạng"})
    assert alert.log.get(kind=AlertLog.Kind.NOTE).text == "Gọi cho nhà mạng"
