"""Zalo Official Account: a customer-service text message to a follower.

Assumed API (Zalo OA Open API v3, as documented by Zalo in 2024):
POST {base_url}/v3.0/oa/message/cs, header `access_token: <OA token>`,
body {"recipient": {"user_id": "..."}, "message": {"text": "..."}}.
Zalo answers HTTP 200 with {"error": 0} on success and a non-zero `error` plus `message`
otherwise (an expired access token, a user who does not follow the OA): those are treated
as permanent, because an operator has to renew the token or fix the user id.
`base_url` defaults to https://openapi.zalo.me.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from citysoc.notify.models import Channel, Delivery, Message

from citysoc.notify.transports.base import TransportError, http_request, require, text_of

KIND = "zalo"
LABEL = "Zalo OA"
BASE_URL = "https://openapi.zalo.me"
MAX_CHARS = 2000  # Zalo's limit for one text message


def send(channel: Channel, delivery: Delivery, message: Message) -> None:
    (token,) = require(channel, "access_token")
    base = (channel.config.get("base_url") or BASE_URL).rstrip("/")
    response = http_request(
        channel,
        "POST",
        f"{base}/v3.0/oa/message/cs",
        headers={"access_token": token},
        json={
            "recipient": {"user_id": delivery.recipient},
            "message": {"text": text_of(message)[:MAX_CHARS]},
        },
    )
    try:
        answer = response.json()
    except ValueError:
        raise TransportError("Zalo answered with something that is not JSON") from None
    if answer.get("error", 0) != 0:
        raise TransportError(
            # Zalo's own short error text (e.g. an expired token), capped: not a page body.
            f"Zalo refused the message: error {answer.get('error')}: "
            f"{str(answer.get('message', ''))[:120]}",
            permanent=True,
        )
