"""Generic webhook: POST the message as JSON to `config["url"]`, with optional `headers`.

Body: {"subject", "body", "topic", "message_id", "delivery_id", "related": {"type", "id"},
"created_at"}. The `Idempotency-Key` header is the same on every try of one delivery, so a
receiver can drop the repeat that at-least-once sending may produce.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from citysoc.notify.models import Channel, Delivery, Message

from citysoc.notify.transports.base import http_request, require

KIND = "webhook"
LABEL = "Webhook"


def send(channel: Channel, delivery: Delivery, message: Message) -> None:
    (url,) = require(channel, "url")
    payload = {
        "subject": message.subject,
        "body": message.body,
        "topic": message.topic,
        "message_id": message.pk,
        "delivery_id": delivery.pk,
        "related": {"type": message.related_type, "id": message.related_id},
        "created_at": message.created_at.isoformat(),
    }
    headers = {
        **(channel.config.get("headers") or {}),
        "Idempotency-Key": idempotency_key(delivery),
    }
    http_request(channel, "POST", url, json=payload, headers=headers)


def idempotency_key(delivery: Delivery) -> str:
    return f"citysoc-delivery-{delivery.pk}"
