"""Phishing drills: recipients with a tracking id, sending, events in GoPhish's precedence,
and the loop that sends whoever clicks to a short course.

As GoPhish does it (models/result.go): one row per recipient with a random id in every
link; each interaction is an appended event; the status only moves forward (an open after
a click changes nothing); "reported" is a separate flag, so a person can click and then
report. Unlike GoPhish, a submitted form keeps only the NAMES of its fields, never what
was typed: a drill must never hold a colleague's password.
"""

from __future__ import annotations

import email
import html
import logging
import re
import secrets
import smtplib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from citysoc.awareness import learning
from citysoc.awareness.models import Course, Drill, DrillEvent, Enrolment, Target
from citysoc.core.models import Person

logger = logging.getLogger(__name__)
# The order of GoPhish's statuses: a recipient's status only moves to a later one.
RANK: dict[str, int] = {
    Target.Status.SCHEDULED: 0,
    Target.Status.ERROR: 1,
    Target.Status.SENT: 2,
    Target.Status.OPENED: 3,
    Target.Status.CLICKED: 4,
    Target.Status.SUBMITTED: 5,
}
STAMP = {"sent": "sent_at", "opened": "opened_at", "clicked": "clicked_at",
         "submitted": "submitted_at"}  # fmt: skip
RID = re.compile(r"/awareness/t/([A-Za-z0-9_-]{16,32})/")
REPEAT_CLICKS = 2  # clicked in this many drills: flagged for a conversation, not a course


def add_targets(drill: Drill, people: Iterable[Person]) -> int:
    """Add recipients (people with an e-mail address, inside the drill's unit tree)."""
    have = set(drill.targets.values_list("person_id", flat=True))
    rows = [
        Target(drill=drill, person=p, unit_id=p.unit_id, email=p.email, rid=new_rid())
        for p in people
        if p.email and p.pk not in have and p.unit.path.startswith(drill.unit.path)
    ]
    Target.objects.bulk_create(rows)
    return len(rows)


def new_rid() -> str:
    return secrets.token_urlsafe(12)  # 16 characters; unguessable, unlike GoPhish's 7


def link(rid: str, what: str = "") -> str:
    return f"{settings.SITE_URL}/awareness/t/{rid}/{what}"


@dataclass(frozen=True)
class Sent:
    sent: int
    failed: int


def send(drill: Drill) -> Sent:
    """Send the drill's e-mail to every recipient not yet sent, through Django's mail
    backend (the configured SMTP server), one message each with its own links."""
    targets = list(
        drill.targets.filter(
            status__in=[Target.Status.SCHEDULED, Target.Status.ERROR]
        ).select_related("person")
    )
    sent = failed = 0
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except (smtplib.SMTPException, OSError) as exc:
        # The mail server is down: every recipient is an error, to be retried by "send".
        for target in targets:
            record(target, DrillEvent.Kind.ERROR, {"error": f"mail server: {exc}"[:300]})
        return Sent(0, len(targets))
    with connection:
        for target in targets:
            try:
                _message(drill, target, connection).send()
            except (smtplib.SMTPException, OSError) as exc:
                failed += 1
                record(target, DrillEvent.Kind.ERROR, {"error": str(exc)[:300]})
                continue
            sent += 1
            record(target, DrillEvent.Kind.SENT)
    Drill.objects.filter(pk=drill.pk, sent_at__isnull=True).update(sent_at=timezone.now())
    Drill.objects.filter(pk=drill.pk, status=Drill.Status.DRAFT).update(status=Drill.Status.SENT)
    logger.info("drill %s: %d sent, %d failed", drill.pk, sent, failed)
    return Sent(sent, failed)


def _message(drill: Drill, target: Target, connection) -> EmailMultiAlternatives:
    t = drill.template
    text = _fill(t.body, target.person.full_name, link(target.rid))
    body_html = "<br>\n".join(
        html.escape(line).replace(
            html.escape(link(target.rid)),
            f'<a href="{html.escape(link(target.rid))}">{html.escape(link(target.rid))}</a>',
        )
        for line in text.splitlines()
    )
    pixel = f'<img src="{html.escape(link(target.rid, "o.gif"))}" width="1" height="1" alt="">'
    mail = EmailMultiAlternatives(
        _fill(t.subject, target.person.full_name, ""),
        text,
        f"{t.sender_name} <{t.sender_address}>",
        [target.email],
        connection=connection,
        headers={"X-Citysoc-Drill": target.rid},
    )
    mail.attach_alternative(f"<html><body><p>{body_html}</p>{pixel}</body></html>", "text/html")
    return mail


def _fill(text: str, name: str, url: str) -> str:
    return text.replace("{{name}}", name).replace("{{link}}", url)


def record(target: Target, kind: str, details: dict | None = None) -> Target:
    """Append an event and move the recipient's status forward (never back)."""
    now = timezone.now()
    with transaction.atomic():
        target = Target.objects.select_for_update().get(pk=target.pk)
        DrillEvent.objects.create(unit_id=target.unit_id, target=target, kind=kind,
                                  details=details or {})  # fmt: skip
        if kind == DrillEvent.Kind.REPORTED:
            if not target.reported:
                target.reported, target.reported_at = True, now
        elif kind in RANK and RANK[kind] > RANK[target.status]:
            target.status = kind
            if kind in STAMP:
                setattr(target, STAMP[kind], now)
        if kind == DrillEvent.Kind.ERROR:
            target.error = (details or {}).get("error", "")[:300]
        target.save()
    if kind in (DrillEvent.Kind.CLICKED, DrillEvent.Kind.SUBMITTED):
        enrol_after_click(target)
    return target


def by_rid(rid: str) -> Target | None:
    return Target.objects.filter(rid=rid).select_related("drill__template", "person").first()


def submitted(target: Target, field_names: Iterable[str]) -> Target:
    """A form sent from the landing page: the names of the fields filled in, no values."""
    names = sorted({str(n)[:40] for n in field_names if n != "csrfmiddlewaretoken"})[:20]
    return record(target, DrillEvent.Kind.SUBMITTED, {"fields": names})


def enrol_after_click(target: Target) -> Enrolment | None:
    """The loop: a click or a submit enrols the person in the drill's short course, once."""
    course = target.drill.course or Course.objects.filter(is_remedial=True).first()
    if course is None:
        return None
    if Enrolment.objects.filter(target=target).exists():
        return None
    enrolment = learning.enrol(target.person, course, reason=Enrolment.Reason.DRILL,
                               target=target)  # fmt: skip
    if enrolment.target_id is None:  # an open one existed: tie it to this drill too
        Enrolment.objects.filter(pk=enrolment.pk).update(target=target)
    DrillEvent.objects.create(
        unit_id=target.unit_id,
        target=target,
        kind=DrillEvent.Kind.ENROLLED,
        details={"course": course.slug},
    )
    return enrolment


def reported_from_message(raw: bytes) -> Target | None:
    """A drill e-mail forwarded to the report mailbox: find its tracking id and mark it."""
    message = email.message_from_bytes(raw)
    rid = message.get("X-Citysoc-Drill", "")
    if not rid:
        found = RID.search(raw.decode("utf-8", errors="replace"))
        rid = found.group(1) if found else ""
    target = by_rid(rid.strip()) if rid else None
    if target is not None:
        record(target, DrillEvent.Kind.REPORTED, {"via": "mailbox"})
    return target


@dataclass(frozen=True)
class Tally:
    """A drill's figures, each counting everyone who got at least that far (GoPhish's way)."""

    label: str
    targets: int
    sent: int
    opened: int
    clicked: int
    submitted: int
    reported: int

    @property
    def click_rate(self) -> int:
        return round(100 * self.clicked / self.sent) if self.sent else 0

    @property
    def report_rate(self) -> int:
        return round(100 * self.reported / self.sent) if self.sent else 0


def _at_least(status: str) -> Q:
    return Q(status__in=[s for s, r in RANK.items() if r >= RANK[status]])


TALLY = {
    "targets": Count("pk"),
    "sent": Count("pk", filter=_at_least(Target.Status.SENT)),
    "opened": Count("pk", filter=_at_least(Target.Status.OPENED)),
    "clicked": Count("pk", filter=_at_least(Target.Status.CLICKED)),
    "submitted": Count("pk", filter=_at_least(Target.Status.SUBMITTED)),
    "reported": Count("pk", filter=Q(reported=True)),
}


def tally(targets: QuerySet[Target], label: str = "") -> Tally:
    return Tally(label, **targets.aggregate(**TALLY))


def tally_by_unit(targets: QuerySet[Target]) -> list[Tally]:
    rows: Iterable[Mapping[str, Any]] = (
        targets.values("unit__name", "unit__path").annotate(**TALLY).order_by("unit__path")
    )
    return [Tally(r["unit__name"], *(r[k] for k in TALLY)) for r in rows]


def tally_by_drill(targets: QuerySet[Target]) -> dict[int, Tally]:
    """Each drill's figures in one query: the series over time, campaign by campaign."""
    rows: Iterable[Mapping[str, Any]] = targets.values("drill_id").annotate(**TALLY)
    return {r["drill_id"]: Tally("", *(r[k] for k in TALLY)) for r in rows}


def repeat_clickers(targets: QuerySet[Target]) -> QuerySet[Person]:
    """People who clicked in REPEAT_CLICKS drills or more, most clicks first."""
    clicked = targets.filter(_at_least(Target.Status.CLICKED))
    return (
        Person.objects.filter(pk__in=clicked.values("person_id"))
        .annotate(clicks=Count("drill_targets", filter=_at_least_rel()))
        .filter(clicks__gte=REPEAT_CLICKS)
        .select_related("unit")
        .order_by("-clicks", "full_name")
    )


def _at_least_rel() -> Q:
    statuses = [s for s, r in RANK.items() if r >= RANK[Target.Status.CLICKED]]
    return Q(drill_targets__status__in=statuses)


def finish(drill: Drill) -> None:
    Drill.objects.filter(pk=drill.pk).update(status=Drill.Status.FINISHED,
                                             finished_at=timezone.now())  # fmt: skip
