"""Reaching people rather than units: the channels that reach a given person.

Escalation calls `channels_for([person on duty, *unit admins])` and enqueues on the result.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from citysoc.core.models import Person
from citysoc.notify.models import Channel


def channels_for(people: Iterable[Person]) -> tuple[list[Channel], list[Person]]:
    """Return `(channels, unreachable)` for these people.

    `channels`: each person's enabled channels (Channel.person), each channel once, in the
    order the people were given. A person with no enabled channel but an e-mail address
    gets a personal e-mail channel ("E-mail — <full name>", in their unit), created the
    first time and reused afterwards, so that anyone with an address can always be told.
    `unreachable`: the people with neither (no enabled channel, no e-mail, or their
    e-mail channel was disabled): the caller should say so where an operator sees it.
    """
    channels: dict[int, Channel] = {}
    unreachable: list[Person] = []
    seen: set[int] = set()
    for person in people:
        if person.pk in seen:
            continue
        seen.add(person.pk)
        own = list(Channel.objects.filter(person=person, enabled=True).select_related("unit"))
        if not own:
            email_channel = _email_channel(person)
            own = [email_channel] if email_channel is not None else []
        if not own:
            unreachable.append(person)
        for channel in own:
            channels.setdefault(channel.pk, channel)
    return list(channels.values()), unreachable


def _email_channel(person: Person) -> Channel | None:
    """The person's own e-mail channel, made once; None if they have no usable address."""
    if not person.email:
        return None
    with transaction.atomic():
        # The lock makes two escalations at the same moment create one channel, not two.
        Person.objects.select_for_update().filter(pk=person.pk).first()
        existing = Channel.objects.filter(person=person, kind=Channel.Kind.EMAIL).first()
        if existing is not None:
            return existing if existing.enabled else None
        with translation.override(settings.LANGUAGE_CODE):
            name = _("E-mail — %(name)s") % {"name": person.full_name}
        return Channel.objects.create(
            unit_id=person.unit_id,
            person=person,
            kind=Channel.Kind.EMAIL,
            name=name[:120],
            config={"addresses": [person.email]},
        )
