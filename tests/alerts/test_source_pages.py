"""Alert source pages: list with heartbeat state, create shows the token once, edit, rotate."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from citysoc.alerts import intake
from citysoc.alerts.models import AlertSource, EscalationPolicy, hash_token
from citysoc.alerts.sources.base import Event

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def make_source(unit, kind="wazuh", **extra) -> AlertSource:
    source = AlertSource(unit=unit, kind=kind, name=extra.pop("name", f"{kind} {unit.code}"))
    for field, value in extra.items():
        setattr(source, field, value)
    source.new_token()
    source.save()
    return source


def trigger(source: AlertSource, key: str) -> None:
    event = Event("trigger", key, "high", source.kind, f"problem {key}", {}, timezone.now())
    intake.ingest(source, [event])


def test_the_list_shows_kind_last_event_heartbeat_and_open_alerts(
    client_as, officer_a, unit_a, unit_b
):
    quiet = make_source(unit_a, "zeek", name="Quiet Zeek")
    quiet.expected_every = dt.timedelta(minutes=10)
    quiet.save()
    busy = make_source(quiet.unit, "wazuh", name="Busy Wazuh")
    trigger(busy, "k1")
    trigger(busy, "k2")
    make_source(unit_b, "wazuh", name="MARK-B Wazuh")
    client = client_as(officer_a)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=30)):
        html = client.get(reverse("alerts:source-list")).content.decode()
    assert "Quiet Zeek" in html and "Busy Wazuh" in html and "MARK-B" not in html
    assert "late" in html  # silent for 30 minutes, expected every 10
    row = html[html.index("Busy Wazuh") :].split("</tr>")[0]
    assert "<td>2</td>" in row


def test_creating_shows_the_token_once_with_url_and_tool_snippets(client_as, officer_a, unit_a):
    client = client_as(officer_a)
    form = client.get(reverse("alerts:source-create"))
    assert form.status_code == 200
    response = client.post(
        reverse("alerts:source-create"),
        {"unit": unit_a.pk, "kind": "wazuh", "name": "Wazuh HQ", "urgency": "high",
         "notify_per_minute": 10, "expected_every_minutes": 60},
    )  # fmt: skip
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    source = AlertSource.objects.get(name="Wazuh HQ")
    token = response.context["token"]
    assert source.token_hash == hash_token(token) and source.enabled
    assert token in html
    assert "/api/alerts/intake/wazuh/" in html
    assert "&lt;integration&gt;" in html and "custom-citysoc" in html
    assert source.expected_every == dt.timedelta(hours=1)
    # The detail page never shows it again.
    detail = client.get(reverse("alerts:source-detail", args=[source.pk])).content.decode()
    assert token not in detail and source.token_prefix in detail


@pytest.mark.parametrize(
    "kind,marker",
    [
        ("alertmanager", "webhook_configs"),
        ("suricata", "event_type ^alert$"),
        ("zeek", "notice.*.log.gz"),
        ("generic", "dedup_key"),
    ],
)
def test_each_kind_has_its_own_set_up_help(client_as, officer_a, unit_a, kind, marker):
    source = make_source(unit_a, kind)
    html = client_as(officer_a).get(reverse("alerts:source-detail", args=[source.pk]))
    assert marker in html.content.decode()


def test_editing_changes_the_settings_and_disabling_stops_the_intake(
    client, client_as, officer_a, unit_a
):
    source = make_source(unit_a, "generic")
    token = source.new_token()
    source.save()
    body = b'{"severity": "low", "summary": "hi"}'
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.post("/api/alerts/intake/generic/", body, "application/json", **auth).status_code == 202  # fmt: skip # noqa: E501
    policy = EscalationPolicy.objects.create(unit=unit_a, name="Ward A nights")
    editor = client_as(officer_a)
    response = editor.post(
        reverse("alerts:source-edit", args=[source.pk]),
        {"name": "Renamed", "sender_ips": "192.0.2.1\n\n192.0.2.0/29", "urgency": "low",
         "escalation_policy": policy.pk, "notify_per_minute": 3, "expected_every_minutes": 5},
    )  # fmt: skip
    assert response.status_code == 302
    source.refresh_from_db()
    assert (source.name, source.urgency, source.escalation_policy, source.enabled) == (
        "Renamed",
        "low",
        policy,
        False,  # the box was left unticked
    )
    assert source.sender_ips == "192.0.2.1\n192.0.2.0/29"
    assert client.post("/api/alerts/intake/generic/", body, "application/json", **auth).status_code == 403  # fmt: skip # noqa: E501


def test_bad_addresses_and_another_units_policy_are_refused(client_as, officer_a, unit_a, unit_b):
    source = make_source(unit_a, "syslog", sender_ips="192.0.2.1")
    policy_b = EscalationPolicy.objects.create(unit=unit_b, name="B policy")
    response = client_as(officer_a).post(
        reverse("alerts:source-edit", args=[source.pk]),
        {"name": "fw", "sender_ips": "192.0.2.1\nfirewall.local", "urgency": "high",
         "escalation_policy": policy_b.pk, "notify_per_minute": 10, "enabled": "on"},
    )  # fmt: skip
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Line 2, 'firewall.local'" in errors["sender_ips"][0]
    assert "escalation_policy" in errors
    source.refresh_from_db()
    assert source.sender_ips == "192.0.2.1"


def test_rotate_asks_first_then_shows_a_new_token(client_as, officer_a, unit_a):
    source = make_source(unit_a, "suricata")
    old_hash = source.token_hash
    client = client_as(officer_a)
    url = reverse("alerts:source-rotate", args=[source.pk])
    assert client.get(url).status_code == 200
    source.refresh_from_db()
    assert source.token_hash == old_hash  # a GET changes nothing
    response = client.post(url)
    source.refresh_from_db()
    assert source.token_hash == hash_token(response.context["token"]) != old_hash
    assert "no longer works" in response.content.decode()


def test_readers_and_other_units(client_as, viewer_a, officer_b, unit_a):
    source = make_source(unit_a, "wazuh")
    reader = client_as(viewer_a)
    assert reader.get(reverse("alerts:source-detail", args=[source.pk])).status_code == 200
    assert reader.get(reverse("alerts:source-edit", args=[source.pk])).status_code == 403
    assert reader.post(reverse("alerts:source-rotate", args=[source.pk])).status_code == 403
    assert reader.get(reverse("alerts:source-create")).status_code == 403
    other = client_as(officer_b)
    for name in ("alerts:source-detail", "alerts:source-edit", "alerts:source-rotate"):
        assert other.get(reverse(name, args=[source.pk])).status_code == 404
    created = other.post(
        reverse("alerts:source-create"),
        {"unit": unit_a.pk, "kind": "wazuh", "name": "x", "urgency": "high",
         "notify_per_minute": 10},
    )  # fmt: skip
    assert created.status_code == 200 and "unit" in created.context["form"].errors
    assert AlertSource.objects.count() == 1


def test_the_list_costs_a_bounded_number_of_queries(
    client_as, officer_a, unit_a, django_assert_max_num_queries
):
    for n in range(15):
        trigger(make_source(unit_a, "generic", name=f"s{n}"), "k")
    client = client_as(officer_a)
    client.get(reverse("alerts:source-list"))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("alerts:source-list")).status_code == 200
