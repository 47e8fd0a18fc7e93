"""Telegram Bot API: POST {base_url}/bot{bot_token}/sendMessage with {"chat_id", "text"}.

`base_url` defaults to https://api.telegram.org (a local Bot API server can replace it).
"""

from __future__ import annotations

from citysoc.notify.transports.base import http_request, require, text_of

KIND = "telegram"
LABEL = "Telegram"
BASE_URL = "https://api.telegram.org"
MAX_CHARS = 4096  # Telegram's limit for one message


def send(channel, delivery, message) -> None:
    (token,) = require(channel, "bot_token")
    base = (channel.config.get("base_url") or BASE_URL).rstrip("/")
    http_request(
        channel,
        "POST",
        f"{base}/bot{token}/sendMessage",
        json={"chat_id": delivery.recipient, "text": text_of(message)[:MAX_CHARS]},
    )
