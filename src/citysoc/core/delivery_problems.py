"""Units a periodic reminder or notice could not reach, for their page and the dashboard.

A reminder run that finds nobody with an e-mail address in a unit (or whose mail is refused)
used to say so only in the server log, which nobody in the city reads. Each such miss is
stored here, one row per unit and kind of message, and cleared by the next run that reaches
the unit; the unit's page and the city dashboard list what is open.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citysoc.core.models import DeliveryProblem, Unit

# The kinds of message a unit can miss, as shown to people (the key is stored).
TOPICS = {
    "directives.reminder": _("Directive reminders"),
    "compliance.duty": _("Compliance duty reminders"),
    "duty.gaps": _("Duty roster gap warnings"),
    "intel.cleanup": _("Botnet clean-up requests"),
    "inventory.levels": _("Security level reminders"),
    "vulns.reminder": _("Vulnerability deadline reminders"),
    "vulns.acceptance-expired": _("Expired vulnerability risk acceptances"),
}

Problem = DeliveryProblem.Problem


def record(unit: Unit | int, topic: str, problem: str, detail: str = "") -> None:
    """Note that a `topic` message did not reach `unit` (again)."""
    if topic not in TOPICS:
        raise ValueError(f"unknown delivery topic {topic!r}; add it to TOPICS")
    unit_id = unit if isinstance(unit, int) else unit.pk
    now = timezone.now()
    with transaction.atomic():
        row = DeliveryProblem.objects.select_for_update().filter(unit_id=unit_id, topic=topic)
        existing = row.first()
        if existing is None:
            DeliveryProblem.objects.create(
                unit_id=unit_id,
                topic=topic,
                problem=problem,
                detail=detail[:300],
                first_seen_at=now,
                last_seen_at=now,
            )
            return
        existing.problem = problem
        existing.detail = detail[:300]
        existing.last_seen_at = now
        existing.times += 1
        existing.save(update_fields=["problem", "detail", "last_seen_at", "times"])


def clear(units: Iterable[Unit | int], topic: str) -> None:
    """The `topic` message reached these units: their problem, if any, is over."""
    ids = [u if isinstance(u, int) else u.pk for u in units]
    if ids:
        DeliveryProblem.objects.filter(unit_id__in=ids, topic=topic).delete()


def open_problems(units) -> list[DeliveryProblem]:
    """The open problems of `units` (a queryset the viewer may see), newest first."""
    rows = list(DeliveryProblem.objects.filter(unit__in=units).select_related("unit"))
    for row in rows:
        row.topic_label = str(TOPICS.get(row.topic, row.topic))
    return rows
