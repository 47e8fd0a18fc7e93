"""The dashboard's duty box: who is on duty now and the open alerts."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, Count, Q, When

from citysoc.alerts.models import Alert
from citysoc.core.models import Person, Unit

SHOWN = 5


@dataclass
class DutyBox:
    triggered: int = 0
    acknowledged: int = 0
    urgent: int = 0  # triggered and critical/high: nobody has it in hand yet
    alerts: list[Alert] = field(default_factory=list)
    # (unit, people on duty now) for the user's own units.
    on_duty: list[tuple[Unit, list[Person]]] = field(default_factory=list)


def box_for(user) -> DutyBox:
    """A few grouped queries: alert counts, the newest open alerts, the user's on-duty rows."""
    from citysoc.duty import oncall

    visible = Alert.objects.visible_to(user)
    triggered = Q(status=Alert.Status.TRIGGERED)
    counts = visible.aggregate(
        triggered=Count("pk", filter=triggered),
        acknowledged=Count("pk", filter=Q(status=Alert.Status.ACKNOWLEDGED)),
        urgent=Count("pk", filter=triggered & Q(severity__in=("critical", "high"))),
    )
    box = DutyBox(counts["triggered"], counts["acknowledged"], counts["urgent"])
    if box.triggered or box.acknowledged:
        box.alerts = list(
            visible.exclude(status=Alert.Status.RESOLVED)
            .select_related("unit")
            # Waiting for someone first, then those in hand; newest first within each.
            .order_by(Case(When(triggered, then=0), default=1), "-last_seen")[:SHOWN]
        )
    own_units = Unit.objects.filter(
        pk__in=Person.objects.filter(user=user, is_active=True).values("unit_id")
    )
    box.on_duty = [(unit, oncall.on_duty(unit)) for unit in own_units[:3]]
    return box
