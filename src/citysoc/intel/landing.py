"""The dashboard's botnet box: the user's open clean-up tasks, most urgent first."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from citysoc.intel.models import CleanupTask, ListVersion

SHOWN = 5


@dataclass
class IntelBox:
    open_count: int = 0
    overdue_count: int = 0
    awaiting: int = 0
    tasks: list[CleanupTask] = field(default_factory=list)
    latest: ListVersion | None = None


def box_for(user) -> IntelBox:
    """Counts in one grouped query, then the few most urgent tasks (two queries in all)."""
    today = timezone.localdate()
    visible = CleanupTask.objects.visible_to(user)
    open_q = Q(status__in=CleanupTask.OPEN_STATES)
    counts = visible.aggregate(
        open=Count("pk", filter=open_q),
        overdue=Count("pk", filter=open_q & Q(due_date__lt=today)),
        awaiting=Count("pk", filter=Q(status=CleanupTask.Status.CLEANED)),
    )
    box = IntelBox(counts["open"], counts["overdue"], counts["awaiting"])
    if box.open_count:
        box.tasks = list(
            visible.filter(open_q).select_related("unit").order_by("priority", "due_date")[:SHOWN]
        )
    box.latest = (
        ListVersion.objects.filter(status=ListVersion.Status.DONE)
        .select_related("source")
        .order_by("-id")
        .first()
    )
    return box
