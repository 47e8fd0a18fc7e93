"""Webhook: the message as JSON, with the channel's headers and an idempotency key."""

import datetime as dt

from citysoc.notify import outbox
from citysoc.notify.models import Channel, Delivery
from tests.notify.transports.support import NOW, golden, send


def test_a_webhook_gets_the_message_as_json_with_its_headers(db, api, unit_a):
    channel = Channel.objects.create(
        unit=unit_a,
        kind="webhook",
        name="SIEM",
        config={"url": api.base_url + "/hook", "headers": {"X-Token": "s3"}},
    )
    message = outbox.enqueue("Cảnh báo", "chi tiết", [channel], topic="alerts", related=unit_a)
    assert outbox.send_due(now=NOW + dt.timedelta(seconds=1)).sent == 1
    (request,) = api.received
    assert request.headers["X-Token"] == "s3"
    assert request.headers["Idempotency-Key"].startswith("citysoc-delivery-")
    payload = request.json()
    assert sorted(payload) == golden("webhook/payload_keys.json")
    assert (payload["subject"], payload["topic"], payload["message_id"]) == (
        "Cảnh báo",
        "alerts",
        message.pk,
    )
    assert payload["related"] == {"type": "core.unit", "id": str(unit_a.pk)}


def test_a_channel_missing_a_setting_says_which(db, unit_a):
    channel = Channel.objects.create(unit=unit_a, kind="webhook", name="SIEM", config={})
    send(channel)
    delivery = Delivery.objects.get()
    assert delivery.status == "dead"
    assert delivery.last_error == "channel 'SIEM' has no url in its settings"
