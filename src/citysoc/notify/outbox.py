"""The outbox: enqueue a message for some channels now, send it from a worker later.

Every area enqueues here (clean-up task e-mails, directive reminders, alert escalation), so
the Delivery rows answer "was the duty officer told, when, and how".

Sending is at-least-once. Workers claim rows with a conditional UPDATE (queued → sending),
so two workers never send the same row; a row left "sending" by a killed worker is claimed
again after STALE_AFTER, and may then reach its recipient twice if the first worker died
after the hand-over but before writing "sent" (better twice than never). The repeat
carries the same identity (e-mail Message-ID, webhook Idempotency-Key), so a receiver
that de-duplicates shows it once; Telegram, Zalo and SMS gateways have no such key.

Test messages (topic TEST_TOPIC, from a channel's Test button) are tried once: they are
never retried and never disable the channel, because the person who pressed the button
is reading the error on the page.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.utils import timezone

from citysoc.core import delivery_problems as problems
from citysoc.core.contacts import unit_emails
from citysoc.core.models import Person
from citysoc.notify.models import (
    BY_AN_OPERATOR,
    DISABLED,
    NO_RECIPIENT,
    NOBODY,
    Channel,
    Delivery,
    Message,
)
from citysoc.notify.topics import DISABLED_TOPIC, TEST_TOPIC
from citysoc.notify.transports import TRANSPORTS, TransportError

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# Longer than a claimed batch can take (CLAIM_BATCH × the slowest transport timeout).
STALE_AFTER = dt.timedelta(minutes=15)
CLAIM_BATCH = 10

Status = Delivery.Status


@dataclass
class SendReport:
    claimed: int = 0
    sent: int = 0
    retrying: int = 0
    dead: int = 0
    failed: int = 0  # not attempted: the channel is disabled


def enqueue(
    subject: str,
    body: str,
    channels: Iterable[Channel],
    *,
    topic: str,
    dedup_key: str | None = None,
    related: models.Model | tuple[str, str] | None = None,
    recipients: dict[int, list[str]] | None = None,
) -> Message:
    """Store a message and one queued delivery per channel recipient.

    With a `dedup_key` already used, nothing new is stored and the first message is returned.
    A disabled channel, or one with no recipient, gets a "failed" row naming why, so the
    record shows who was not told. `recipients` (by channel id) replaces a channel's own
    recipients for this message: the people a "people" channel reaches differ by message.
    """
    if dedup_key:
        existing = Message.objects.filter(dedup_key=dedup_key).first()
        if existing is not None:
            return existing
    related_type, related_id = _related(related)
    try:
        with transaction.atomic():
            message = Message.objects.create(
                subject=subject[:300],
                body=body,
                topic=topic,
                dedup_key=dedup_key or None,
                related_type=related_type,
                related_id=related_id,
            )
            rows = _deliveries(message, channels, timezone.now(), recipients or {})
            Delivery.objects.bulk_create(rows)
    except IntegrityError:
        if not dedup_key:
            raise
        return Message.objects.get(dedup_key=dedup_key)  # a concurrent enqueue won
    return message


def _related(related: models.Model | tuple[str, str] | None) -> tuple[str, str]:
    if related is None:
        return "", ""
    if isinstance(related, models.Model):
        return related._meta.label_lower, str(related.pk)
    app_model, pk = related
    return str(app_model), str(pk)


def _deliveries(
    message: Message, channels: Iterable[Channel], now: dt.datetime, chosen: dict[int, list[str]]
) -> list[Delivery]:
    rows: list[Delivery] = []
    for channel in channels:
        recipients = chosen[channel.pk] if channel.pk in chosen else channel.recipients()
        if not channel.enabled or not recipients:
            reason = (
                _disabled_text(channel)
                if not channel.enabled
                else NOBODY
                if channel.kind == Channel.Kind.PEOPLE
                else NO_RECIPIENT
            )
            rows.append(
                Delivery(
                    message=message,
                    channel=channel,
                    recipient=", ".join(recipients) or "-",
                    status=Status.FAILED,
                    last_error=reason,
                )
            )
            continue
        for recipient in recipients:
            rows.append(
                Delivery(message=message, channel=channel, recipient=recipient, next_attempt_at=now)
            )
    return rows


def claim(
    *,
    now: dt.datetime | None = None,
    worker: str = "worker",
    limit: int = CLAIM_BATCH,
    only: Q | None = None,
) -> list[Delivery]:
    """Take up to `limit` due deliveries for this worker; no other claim gets the same rows.

    Due: queued with next_attempt_at reached, or "sending" for longer than STALE_AFTER.
    The UPDATE repeats the condition, so a row another worker took in between is skipped
    (PostgreSQL re-checks it after the row lock; SQLite runs one writer at a time).
    `only` narrows the claim (one message, one delivery) for the Test and Retry buttons.
    """
    now = now or timezone.now()
    due = Q(status=Status.QUEUED, next_attempt_at__lte=now) | Q(
        status=Status.SENDING, claimed_at__lt=now - STALE_AFTER
    )
    if only is not None:
        due &= only
    candidates = list(
        Delivery.objects.filter(due, channel__enabled=True)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    if not candidates:
        return []
    # A token per claim, so two calls of the same worker name never share rows.
    token = f"{worker}/{uuid.uuid4().hex[:8]}"[:120]
    Delivery.objects.filter(due, pk__in=candidates).update(
        status=Status.SENDING, claimed_by=token, claimed_at=now, attempts=F("attempts") + 1
    )
    rows = list(
        Delivery.objects.filter(claimed_by=token, status=Status.SENDING)
        .select_related("message", "channel", "channel__unit")
        .order_by("pk")
    )
    # One Channel object per channel, so a row that disables it stops the rows after it.
    channels: dict[int, Channel] = {}
    for row in rows:
        row.channel = channels.setdefault(row.channel_id, row.channel)
    return rows


def send_due(
    *, now: dt.datetime | None = None, worker: str = "worker", limit: int = 100
) -> SendReport:
    """Send what is due, in small claimed batches, and record each outcome."""
    report = SendReport()
    report.failed = _fail_disabled(now or timezone.now())
    while report.claimed < limit:
        batch = claim(now=now, worker=worker, limit=min(CLAIM_BATCH, limit - report.claimed))
        if not batch:
            break
        report.claimed += len(batch)
        for delivery in batch:
            outcome = deliver(delivery, now=now)
            setattr(report, outcome, getattr(report, outcome) + 1)
    return report


def send_message(
    message: Message, *, now: dt.datetime | None = None, worker: str = "web"
) -> SendReport:
    """Send the due deliveries of one message now, in this process, and say how it went.

    For the Test button: rows a worker claimed first are left to it (never sent twice).
    """
    report = SendReport()
    for delivery in claim(now=now, worker=worker, limit=100, only=Q(message=message)):
        report.claimed += 1
        outcome = deliver(delivery, now=now)
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report


def retry_now(delivery: Delivery, *, now: dt.datetime | None = None, worker: str = "web") -> str:
    """Queue a dead or failed delivery again and try it at once; return its new status.

    Its attempts start again from zero (it gets the full retry schedule); a delivery on a
    disabled channel stays as it is: enable the channel first.
    """
    now = now or timezone.now()
    if not delivery.channel.enabled:
        return delivery.status
    Delivery.objects.filter(pk=delivery.pk, status__in=[Status.DEAD, Status.FAILED]).update(
        status=Status.QUEUED, attempts=0, next_attempt_at=now, claimed_by="", claimed_at=None
    )
    for row in claim(now=now, worker=worker, limit=1, only=Q(pk=delivery.pk)):
        deliver(row, now=now)
    return Delivery.objects.values_list("status", flat=True).get(pk=delivery.pk)


def deliver(delivery: Delivery, *, now: dt.datetime | None = None) -> str:
    """Send one claimed delivery; return "sent", "retrying", "dead" or "failed"."""
    channel, message = delivery.channel, delivery.message
    if not channel.enabled:  # disabled by another row of this batch
        return _finish(delivery, Status.FAILED, error=_disabled_text(channel))
    try:
        TRANSPORTS[channel.kind].send(channel, delivery, message)
    except TransportError as exc:
        return _after_error(delivery, exc, now or timezone.now())
    except Exception as exc:  # a bug in a transport must not stop the other deliveries
        log.exception("transport %s crashed on delivery %s", channel.kind, delivery.pk)
        error = TransportError(f"internal error in the {channel.kind} transport: {exc!r}")
        return _after_error(delivery, error, now or timezone.now())
    sent_at = timezone.now() if now is None else now
    Channel.objects.filter(pk=channel.pk).update(last_ok_at=sent_at, last_error="")
    if channel.kind == Channel.Kind.PEOPLE and channel.unit_id and message.topic in problems.TOPICS:
        problems.clear([channel.unit_id], message.topic)
    return _finish(delivery, Status.SENT, sent_at=sent_at)


def _after_error(delivery: Delivery, exc: TransportError, now: dt.datetime) -> str:
    channel = delivery.channel
    Channel.objects.filter(pk=channel.pk).update(last_error=exc.message[:2000])
    _note_unit_problem(delivery, exc.message)
    log.warning("delivery %s via %s failed: %s", delivery.pk, channel, exc.message)
    if delivery.message.topic == TEST_TOPIC:
        return _finish(delivery, Status.DEAD, error=exc.message)
    if exc.permanent:
        # One refused mailbox among a unit's officers is not a broken channel.
        if channel.kind != Channel.Kind.PEOPLE:
            _disable(channel, exc.message)
        return _finish(delivery, Status.DEAD, error=exc.message)
    if delivery.attempts >= MAX_ATTEMPTS:
        return _finish(
            delivery, Status.DEAD, error=f"gave up after {delivery.attempts} tries: {exc.message}"
        )
    # 1, 2, 4, 8… minutes after the 1st, 2nd, 3rd, 4th… failed attempt.
    retry_at = now + dt.timedelta(minutes=2 ** (delivery.attempts - 1))
    return _finish(delivery, Status.QUEUED, error=exc.message, next_attempt_at=retry_at)


def _note_unit_problem(delivery: Delivery, error: str) -> None:
    """A unit's reminder its officers' mail server refused: shown on the unit's page and the
    dashboard (core.delivery_problems) until a later one reaches the unit."""
    channel, topic = delivery.channel, delivery.message.topic
    if channel.kind == Channel.Kind.PEOPLE and channel.unit_id and topic in problems.TOPICS:
        problems.record(channel.unit_id, topic, problems.Problem.SEND_FAILED, error)


def _finish(delivery: Delivery, status: Status, *, error: str = "", **fields: object) -> str:
    # Only while still ours: a row reclaimed by another worker after STALE_AFTER is theirs.
    Delivery.objects.filter(pk=delivery.pk, claimed_by=delivery.claimed_by).update(
        status=status, last_error=error[:2000], **fields
    )
    return {
        Status.SENT: "sent",
        Status.QUEUED: "retrying",
        Status.DEAD: "dead",
        Status.FAILED: "failed",
    }[status]


def _disabled_text(channel: Channel) -> str:
    return f"{DISABLED}{channel.disabled_reason or BY_AN_OPERATOR}"


def _fail_disabled(now: dt.datetime) -> int:
    """Waiting rows of disabled channels: mark them failed so the record says why."""
    waiting = Q(status=Status.QUEUED) | Q(status=Status.SENDING, claimed_at__lt=now - STALE_AFTER)
    stuck = Delivery.objects.filter(waiting, channel__enabled=False).values("channel")
    count = 0
    for channel in Channel.objects.filter(pk__in=stuck):
        count += Delivery.objects.filter(waiting, channel=channel).update(
            status=Status.FAILED, last_error=_disabled_text(channel)
        )
    return count


def _disable(channel: Channel, reason: str) -> None:
    """Switch the channel off and tell its unit's admins, by direct mail (not the outbox)."""
    updated = Channel.objects.filter(pk=channel.pk, enabled=True).update(
        enabled=False, disabled_reason=reason[:2000]
    )
    channel.enabled, channel.disabled_reason = False, reason
    Delivery.objects.filter(channel=channel, status=Status.QUEUED).update(
        status=Status.FAILED, last_error=_disabled_text(channel)
    )
    if updated:  # only the worker that switched it off writes to the admins
        _tell_admins(channel, reason)


def admin_addresses(channel: Channel) -> list[str]:
    """The unit's admins' e-mail; for a city-wide channel, the city admins'. A personal
    channel also tells its person, unless it is their e-mail channel that failed."""
    found: set[str] = set()
    if channel.unit_id:
        for emails in unit_emails([channel.unit_id], [Person.Role.UNIT_ADMIN]).values():
            found.update(emails)
    else:
        found.update(_city_admins().exclude(email="").values_list("email", flat=True))
    person = channel.person
    own_mail_failed = channel.kind == Channel.Kind.EMAIL
    if person is not None and person.is_active and person.email and not own_mail_failed:
        found.add(person.email)
    return sorted(found)


def _city_admins() -> models.QuerySet[Person]:
    return Person.objects.filter(role=Person.Role.CITY_ADMIN, is_active=True)


def _admins_other_channels(channel: Channel) -> list[Channel]:
    """The admins' own enabled channels, for when e-mail cannot reach them."""
    admins: models.QuerySet[Person]
    if channel.unit_id:
        admins = Person.objects.filter(
            unit_id=channel.unit_id, role=Person.Role.UNIT_ADMIN, is_active=True
        )
    else:
        admins = _city_admins()
    return list(
        Channel.objects.filter(person__in=admins, enabled=True)
        .exclude(pk=channel.pk)
        .exclude(kind=Channel.Kind.EMAIL)
    )


def _tell_admins(channel: Channel, reason: str) -> None:
    """By e-mail through the unit's officers channel, sent at once (the queue may be what is
    stuck), else through the admins' other channels; never through the channel that was
    just switched off."""
    subject = f"[citysoc] notification channel disabled: {channel.name}"
    body = (
        f"The {channel.get_kind_display()} channel {channel.name!r} was switched off because "
        f"sending through it failed in a way retrying cannot fix:\n\n  {reason}\n\n"
        "Notifications for it are not being delivered. Fix its settings on the "
        "Notifications page, press Test, then enable it again."
    )
    to = admin_addresses(channel)
    people = Channel.objects.people_of(channel.unit_id)
    if to and people.enabled and people.pk != channel.pk:
        told = enqueue(
            subject, body, [people], topic=DISABLED_TOPIC, related=channel,
            recipients={people.pk: to},
        )  # fmt: skip
        if send_message(told, worker="disable").sent:
            return
    others = _admins_other_channels(channel)
    if others:
        enqueue(subject, body, others, topic=DISABLED_TOPIC, related=channel)
        return
    log.error(
        "channel %s disabled (%s) and nobody could be told: give the unit admin an e-mail",
        channel,
        reason,
    )
