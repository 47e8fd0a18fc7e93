"""/api/notifications/ and /api/channels/: the same tenancy as the pages, secrets write-only."""

from __future__ import annotations

import pytest

from citysoc.notify import outbox
from citysoc.notify.models import Channel

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


@pytest.fixture
def hooks(api, unit_a, unit_b):
    a = Channel.objects.create(
        unit=unit_a, kind="webhook", name="SIEM A", config={"url": api.base_url + "/a"}
    )
    b = Channel.objects.create(
        unit=unit_b, kind="webhook", name="SIEM B", config={"url": api.base_url + "/b"}
    )
    return a, b


def test_the_outbox_lists_messages_with_the_callers_deliveries_only(client_as, officer_a, hooks):
    a, b = hooks
    both = outbox.enqueue(
        "Cảnh báo chung", "x", [a, b], topic="alerts", related=("alerts.alert", 7)
    )
    outbox.enqueue("Only B", "x", [b], topic="alerts")
    outbox.send_due()
    data = client_as(officer_a).get("/api/notifications/").json()
    (item,) = data["results"]
    assert item["id"] == both.pk
    assert (item["subject"], item["topic"], item["related_type"], item["related_id"]) == (
        "Cảnh báo chung",
        "alerts",
        "alerts.alert",
        "7",
    )
    (delivery,) = item["deliveries"]
    assert delivery["channel"] == a.pk
    assert (delivery["channel_kind"], delivery["unit"], delivery["status"]) == (
        "webhook",
        "ward-a",
        "sent",
    )
    assert set(delivery) == {
        "id", "channel", "channel_kind", "unit", "recipient", "status", "attempts",
        "last_error", "sent_at", "next_attempt_at",
    }  # fmt: skip


def test_the_outbox_filters_by_status_topic_and_unit(client_as, city_admin, hooks, api):
    a, b = hooks
    outbox.enqueue("to A", "x", [a], topic="alerts")
    outbox.enqueue("to B", "x", [b], topic="intel.cleanup")
    api.status = 503
    outbox.send_due()
    client = client_as(city_admin)

    def subjects(query):
        return {m["subject"] for m in client.get("/api/notifications/" + query).json()["results"]}

    assert subjects("") == {"to A", "to B"}
    assert subjects("?unit=ward-b") == {"to B"}
    assert subjects("?topic=alerts") == {"to A"}
    assert subjects("?status=queued") == {"to A", "to B"}
    assert subjects("?status=sent") == set()


def test_another_units_message_is_not_found(client_as, officer_a, hooks):
    _a, b = hooks
    message = outbox.enqueue("B", "x", [b], topic="alerts")
    assert client_as(officer_a).get(f"/api/notifications/{message.pk}/").status_code == 404


def test_channels_answer_with_secrets_masked(client_as, officer_a, unit_a, unit_b):
    Channel.objects.create(
        unit=unit_a, kind="telegram", name="Trực", config={"bot_token": TOKEN, "chat_id": "-1"}
    )
    Channel.objects.create(unit=unit_b, kind="email", name="B", config={})
    response = client_as(officer_a).get("/api/channels/")
    (row,) = response.json()["results"]
    assert row["config"] == {"bot_token": "••••Dsaw", "chat_id": "-1"}
    assert TOKEN not in response.content.decode()


def test_an_editor_creates_and_changes_a_channel_keeping_secrets(client_as, officer_a):
    client = client_as(officer_a)
    bad = client.post(
        "/api/channels/",
        {"unit": "ward-a", "kind": "telegram", "name": "T", "config": {"chat_id": "x"}},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert any(e.startswith("bot_token:") for e in bad.json()["config"])
    created = client.post(
        "/api/channels/",
        {
            "unit": "ward-a",
            "kind": "telegram",
            "name": "T",
            "config": {"bot_token": TOKEN, "chat_id": "-1"},
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    changed = client.patch(
        f"/api/channels/{pk}/", {"config": {"chat_id": "-2"}}, content_type="application/json"
    )
    assert changed.status_code == 200, changed.content
    assert Channel.objects.get(pk=pk).config == {"bot_token": TOKEN, "chat_id": "-2"}


def test_channels_of_another_unit_or_the_city_cannot_be_written(
    client_as, officer_a, viewer_a, unit_b
):
    theirs = Channel.objects.create(unit=unit_b, kind="email", name="B", config={})
    client = client_as(officer_a)
    body = {"name": "taken"}
    assert (
        client.patch(
            f"/api/channels/{theirs.pk}/", body, content_type="application/json"
        ).status_code
        == 404
    )
    for unit in ("ward-b", None):
        response = client.post(
            "/api/channels/",
            {"unit": unit, "kind": "email", "name": "X", "config": {"addresses": ["a@x.vn"]}},
            content_type="application/json",
        )
        assert response.status_code == 403, unit
    response = client_as(viewer_a).post(
        "/api/channels/",
        {"unit": "ward-a", "kind": "email", "name": "X", "config": {"addresses": ["a@x.vn"]}},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert Channel.objects.count() == 1
