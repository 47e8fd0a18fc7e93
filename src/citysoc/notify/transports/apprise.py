"""Any service Apprise knows (`config["url"]`, e.g. "mailto://…", "discord://…").

Works only where the optional `apprise` package is installed; otherwise every delivery
fails permanently with a message saying so.
"""

from __future__ import annotations

from citysoc.notify.transports.base import TransportError, require

KIND = "apprise"
LABEL = "Apprise URL"


def send(channel, delivery, message) -> None:
    try:
        import apprise
    except ImportError:
        raise TransportError(
            "the apprise package is not installed: `pip install apprise` on the worker, "
            "then re-enable this channel",
            permanent=True,
        ) from None
    (url,) = require(channel, "url")
    notifier = apprise.Apprise()
    if not notifier.add(url):
        raise TransportError(
            f"Apprise does not understand the URL of {channel.name!r}", permanent=True
        )
    if not notifier.notify(body=message.body or message.subject, title=message.subject):
        raise TransportError(f"Apprise could not deliver through {channel.name!r}")
