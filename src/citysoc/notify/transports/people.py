"""The unit's officers by e-mail: the channel citysoc keeps for every unit and the city.

Reminders, duty gaps, clean-up notices and feed failures reach the people of a unit in the
roles each message names (notify/reach.py picks them when the message is queued); each
address is one delivery, sent exactly as an e-mail channel sends. One refused mailbox is
that delivery's failure, not the channel's: the outbox never switches this channel off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from citysoc.notify.models import Channel, Delivery, Message

from citysoc.notify.transports import email

KIND = "people"
LABEL = "Officers by e-mail"


def send(channel: Channel, delivery: Delivery, message: Message) -> None:
    email.send(channel, delivery, message)
