"""What every transport shares: the error it raises and the HTTP call with its error rules."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from citysoc.notify.models import Channel, Delivery, Message

from http import HTTPStatus
from urllib.parse import urlsplit

import requests

from citysoc.core.outbound import policy_for
from citysoc.lib.outbound import OutboundRefused, session

# (connect, read) seconds: a stuck gateway must not hold the worker for long.
TIMEOUT = (5, 15)


class TransportError(Exception):
    """Sending failed. `permanent` means retrying cannot help: the channel needs fixing."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


def http_request(channel: Channel, method: str, url: str, **kwargs: Any) -> requests.Response:
    """Send one HTTP request for `channel`; 4xx (except 429) is permanent, 429/5xx/no answer
    transient.

    The connection (and each redirect's) goes only where the channel's unit may reach
    (citysoc.lib.outbound): a refused address is a permanent failure, nothing is sent.
    Errors name the host only: the URL may carry a secret (Telegram puts the bot token in
    it); and never the answer's body, which could be an internal page's content.
    """
    host = urlsplit(url).netloc or url[:40]
    try:
        with session(policy_for(channel.unit)) as guarded:
            response = guarded.request(method, url, timeout=TIMEOUT, **kwargs)
    except OutboundRefused as exc:
        raise TransportError(f"not sent to {host}: {exc.reason}", permanent=True) from None
    except requests.RequestException as exc:
        raise TransportError(f"no answer from {host}: {_why(exc)}") from None
    if response.status_code == 429 or response.status_code >= 500:
        raise TransportError(f"{host} answered {_status(response)}")
    if response.status_code >= 400:
        raise TransportError(f"{host} refused the message with {_status(response)}", permanent=True)
    return response


def _why(exc: requests.RequestException) -> str:
    """The failure in words an operator can act on (the class name stays for searching)."""
    name = type(exc).__name__
    if isinstance(exc, requests.Timeout):
        return f"it did not answer in time ({name}): is the service overloaded or blocked?"
    if isinstance(exc, requests.exceptions.SSLError):
        return f"the TLS connection failed ({name}): check its certificate"
    if isinstance(exc, requests.ConnectionError):
        return f"could not connect ({name}): the service is down or the address is wrong"
    return name


def _status(response: requests.Response) -> str:
    """ "HTTP 503 Service Unavailable": the code and its standard name, not the server's text."""
    try:
        return f"HTTP {response.status_code} {HTTPStatus(response.status_code).phrase}"
    except ValueError:
        return f"HTTP {response.status_code}"


def text_of(message: Message) -> str:
    return f"{message.subject}\n\n{message.body}".strip()


def require(channel: Channel, *keys: str) -> list[str]:
    """The config values a transport needs; a missing one is the operator's to fix."""
    missing = [key for key in keys if not (channel.config or {}).get(key)]
    if missing:
        raise TransportError(
            f"channel {channel.name!r} has no {', '.join(missing)} in its settings",
            permanent=True,
        )
    return [channel.config[key] for key in keys]


# The shape every entry module of this registry has; the registry in __init__ is typed with it
# so mypy checks each module conforms (a module matches a Protocol of module-level names).
class Transport(Protocol):
    KIND: str  # the channel kind stored on Channel.kind
    LABEL: str  # shown to the operator when choosing a channel kind

    def send(self, channel: Channel, delivery: Delivery, message: Message) -> None:
        """Deliver `message` for `delivery`; raise TransportError on failure."""
