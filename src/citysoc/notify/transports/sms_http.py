"""SMS through an HTTP gateway: `url_template` with {to} and {text}, sent with `method`.

Example: "https://sms.example.vn/send?user=soc&to={to}&msg={text}", method "GET" (the
default) or "POST". Both placeholders are URL-encoded. The text is the subject, then the
body, cut to `max_chars` (default 320: Vietnamese with diacritics costs 70 chars a part).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from citysoc.notify.models import Channel, Delivery, Message

from urllib.parse import quote

from citysoc.notify.transports.base import TransportError, http_request, require, text_of

KIND = "sms_http"
LABEL = "SMS gateway (HTTP)"


def send(channel: Channel, delivery: Delivery, message: Message) -> None:
    (template,) = require(channel, "url_template")
    method = str(channel.config.get("method") or "GET").upper()
    if method not in ("GET", "POST"):
        raise TransportError(
            f"SMS gateway method must be GET or POST, not {method}", permanent=True
        )
    text = text_of(message)[: int(channel.config.get("max_chars") or 320)]
    try:
        url = template.format(to=quote(delivery.recipient, safe=""), text=quote(text, safe=""))
    except (KeyError, IndexError, ValueError) as exc:
        raise TransportError(
            f"SMS url_template may only use {{to}} and {{text}}: {exc}", permanent=True
        ) from None
    http_request(channel, method, url)
