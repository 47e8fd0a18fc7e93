"""Telling a unit's people (or the city's administrators) something: one path for every area.

Reminders, duty gaps, clean-up notices and feed failures all come here. Each becomes an
outbox message on the unit's "officers by e-mail" channel (`Channel.objects.people_of`),
one delivery per address of the people in the roles the message names, so the outbox page
answers "who was told, when, how" for every message, retries follow one schedule, and a
unit with nobody to write to shows as a failed delivery saying so, where the unit and the
city can see it, instead of a line in the server log.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from django.conf import settings
from django.db import models
from django.utils import translation

from citysoc.core import delivery_problems
from citysoc.core.contacts import unit_emails
from citysoc.core.models import Person, Unit
from citysoc.notify import outbox
from citysoc.notify.models import Channel, Delivery, Message

logger = logging.getLogger(__name__)
Rows = TypeVar("Rows")


@dataclass
class Told:
    """What `tell_units` did: units whose message has someone to reach, and those without."""

    told: list[Unit] = field(default_factory=list)
    unreachable: list[Unit] = field(default_factory=list)


def tell_unit(
    unit: Unit,
    subject: str,
    body: str,
    *,
    topic: str,
    roles: Iterable[str],
    security_lead: bool = False,
    channels: Iterable[Channel] = (),
    dedup_key: str | None = None,
    related: models.Model | tuple[str, str] | None = None,
) -> Message:
    """Queue one message to the unit's people in `roles` by e-mail (and its security lead
    when asked), plus any of the unit's own `channels` given.

    With nobody to write to, the message is still stored, with a failed delivery naming why.
    """
    people = Channel.objects.people_of(unit.pk)
    addresses = unit_emails([unit.pk], roles, security_lead=security_lead).get(unit.pk, [])
    if dedup_key:
        _forget_if_nobody_was_told(dedup_key)
    message = outbox.enqueue(
        subject,
        body,
        [people, *channels],
        topic=topic,
        dedup_key=dedup_key,
        related=related,
        recipients={people.pk: addresses},
    )
    if topic in delivery_problems.TOPICS:  # the unit's page and the dashboard show misses
        if reaches_someone(message):
            delivery_problems.clear([unit], topic)
        else:
            delivery_problems.record(unit, topic, delivery_problems.Problem.NO_RECIPIENT)
    return message


def tell_city(
    subject: str,
    body: str,
    *,
    topic: str,
    dedup_key: str | None = None,
    related: models.Model | tuple[str, str] | None = None,
) -> Message:
    """Queue one message to the city administrators by e-mail (the city-wide people channel);
    with none yet, to the server's operators in the ADMINS setting."""
    people = Channel.objects.people_of(None)
    admins = Person.objects.filter(role=Person.Role.CITY_ADMIN, is_active=True).exclude(email="")
    addresses = sorted(set(admins.values_list("email", flat=True))) or sorted(
        {entry[1] for entry in settings.ADMINS}
    )
    return outbox.enqueue(
        subject,
        body,
        [people],
        topic=topic,
        dedup_key=dedup_key,
        related=related,
        recipients={people.pk: addresses},
    )


def tell_units(
    groups: Mapping[Unit, Rows],
    compose: Callable[[Unit, Rows], tuple[str, str]],
    *,
    topic: str,
    roles: Iterable[str],
    once_on: dt.date | None = None,
    security_lead: bool = False,
) -> Told:
    """One message per unit, `compose(unit, rows)` giving its subject and body, written in
    the hub's language. The loop every reminder shares: who was reached is in the result,
    and a unit with nobody to write to is logged once here and shown in the outbox.
    With `once_on`, a unit hears this topic at most once that day (a rerun queues nothing)."""
    roles = list(roles)
    result = Told()
    with translation.override(settings.LANGUAGE_CODE):
        for unit, rows in groups.items():
            subject, body = compose(unit, rows)
            message = tell_unit(
                unit,
                subject,
                body,
                topic=topic,
                roles=roles,
                security_lead=security_lead,
                dedup_key=f"{topic}:{unit.pk}:{once_on:%Y-%m-%d}" if once_on else None,
            )
            (result.told if reaches_someone(message) else result.unreachable).append(unit)
    for unit in result.unreachable:
        logger.warning(
            "%s: %s has nobody to tell (no active %s with an e-mail address); add one on the "
            "unit's people page",
            topic, unit.name, " or ".join(str(Person.Role(r).label) for r in roles),
        )  # fmt: skip
    return result


def _forget_if_nobody_was_told(dedup_key: str) -> None:
    """A message that reached nobody does not count as sent: once someone has an address,
    the same news (same dedup key) is queued again rather than answered by the old miss."""
    earlier = Message.objects.filter(dedup_key=dedup_key).first()
    if earlier is not None and not reaches_someone(earlier):
        Message.objects.filter(pk=earlier.pk).update(dedup_key=None)


def reaches_someone(message: Message) -> bool:
    """Whether anyone will hear it: at least one delivery was not failed from the start."""
    return message.deliveries.exclude(status=Delivery.Status.FAILED).exists()
