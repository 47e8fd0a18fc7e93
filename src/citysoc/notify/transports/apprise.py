"""Any service Apprise knows (`config["url"]`, e.g. "mailto://…", "discord://…").

Works only where the optional `apprise` package is installed; otherwise every delivery
fails permanently with a message saying so.

Apprise opens its own connections, so the outbound check (citysoc.lib.outbound) runs
before handing the URL over: a host in the URL that is, or resolves to, a refused address
stops the delivery. Apprise then resolves the name again; prefer the webhook, Telegram or
SMS channels for a destination that must be checked at connection time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from citysoc.notify.models import Channel, Delivery, Message

import socket
from urllib.parse import urlsplit

from citysoc.core.outbound import policy_for
from citysoc.lib.outbound import OutboundRefused, checked, resolve
from citysoc.notify.transports.base import TransportError, require

KIND = "apprise"
LABEL = "Apprise URL"


def send(channel: Channel, delivery: Delivery, message: Message) -> None:
    (url,) = require(channel, "url")
    _check_host(channel, url)
    try:
        import apprise
    except ImportError:
        raise TransportError(
            "the apprise package is not installed: `pip install apprise` on the worker, "
            "then re-enable this channel",
            permanent=True,
        ) from None
    notifier = apprise.Apprise()
    if not notifier.add(url):
        raise TransportError(
            f"Apprise does not understand the URL of {channel.name!r}", permanent=True
        )
    if not notifier.notify(body=message.body or message.subject, title=message.subject):
        raise TransportError(f"Apprise could not deliver through {channel.name!r}")


def _check_host(channel: Channel, url: str) -> None:
    """Refuse before Apprise connects when the URL's host is a place the unit may not reach.

    Many Apprise URLs carry a token where a host would be ("tgram://<token>/…"): a part that
    does not resolve is left to Apprise, which talks to its service's public address.
    """
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port or 443
    except ValueError:
        return
    if not host:
        return
    try:
        checked(host, resolve(host, port), policy_for(channel.unit), port)
    except OutboundRefused as exc:
        raise TransportError(f"not sent: {exc.reason}", permanent=True) from None
    except (socket.gaierror, UnicodeError):
        return
