"""The shape every transport module has; the registry is typed with it so mypy checks each
module conforms (a module matches a Protocol of module-level names)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from citysoc.notify.models import Channel, Delivery, Message


class Transport(Protocol):
    KIND: str  # the channel kind stored on Channel.kind
    LABEL: str  # shown to the operator when choosing a channel kind

    def send(self, channel: Channel, delivery: Delivery, message: Message) -> None:
        """Deliver `message` for `delivery`; raise TransportError on failure."""
