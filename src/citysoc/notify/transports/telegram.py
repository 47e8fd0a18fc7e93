"""Telegram Bot API: POST {base_url}/bot{bot_token}/sendMessage with {"chat_id", "text"}.

`base_url` defaults to https://api.telegram.org (a local Bot API server can replace it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from citysoc.notify.models import Channel, Delivery, Message

from citysoc.notify.transports.base import http_request, require, text_of

KIND = "telegram"
LABEL = "Telegram"
BASE_URL = "https://api.telegram.org"
MAX_CHARS = 4096  # Telegram's limit for one message


def send(channel: Channel, delivery: Delivery, message: Message) -> None:
    (token,) = require(channel, "bot_token")
    base = (channel.config.get("base_url") or BASE_URL).rstrip("/")
    http_request(
        channel,
        "POST",
        f"{base}/bot{token}/sendMessage",
        json={"chat_id": delivery.recipient, "text": text_of(message)[:MAX_CHARS]},
    )
