"""Generic webhook: POST the message as JSON to `config["url"]`, with optional `headers`.

Body: {"subject", "body", "topic", "message_id", "related": {"type", "id"}, "created_at"}.
"""

from __future__ import annotations

from citysoc.notify.transports.base import http_request, require

KIND = "webhook"
LABEL = "Webhook"


def send(channel, delivery, message) -> None:
    (url,) = require(channel, "url")
    payload = {
        "subject": message.subject,
        "body": message.body,
        "topic": message.topic,
        "message_id": message.pk,
        "related": {"type": message.related_type, "id": message.related_id},
        "created_at": message.created_at.isoformat(),
    }
    http_request("POST", url, json=payload, headers=channel.config.get("headers") or {})
