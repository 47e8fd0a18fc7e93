"""Notifications in the tenancy sweep: one ward channel and a message delivered on it."""

from __future__ import annotations

from citysoc.notify import outbox
from citysoc.notify.models import Channel, Delivery

MODELS = {
    "channels": "channel",
    "messages": "message",
    "notifications": "message",
}
QUERY_VARIANTS = {
    "notify:outbox": ["", "?status=sent", "?q=mark", "?topic=sweep", "?status=queued"],
    "notification-list": ["", "?unit=ward-b", "?status=sent", "?topic=sweep"],
    "channel-list": ["", "?unit=ward-b", "?within=ward-b", "?search=mark"],
}


def build(unit, officer, letter: str, third_octets: str) -> dict[str, int]:
    low = letter.lower()
    channel = Channel.objects.create(
        unit=unit,
        kind="email",
        name=f"MARK-{letter} trực ban",
        config={"addresses": [f"duty@mark-{low}.example.gov.vn"]},
    )
    message = outbox.enqueue(
        f"MARK-{letter} cảnh báo", f"MARK-{letter} chi tiết", [channel], topic="sweep"
    )
    # Recorded as delivered without a mail server: the sweep reads pages, it sends nothing.
    Delivery.objects.filter(message=message).update(status="sent", attempts=1)
    return {"channel": channel.pk, "message": message.pk}
