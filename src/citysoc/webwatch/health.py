"""A website's state: the worst of whether it answers and what its open findings say.

A site that answers but was defaced or carries injected gambling links is not healthy:
showing it green ("Up 100 %") hid exactly the incidents the watch exists for. The rule
lives here once, as one queryset annotation (`with_health`) so the board sorts and
filters by it in the database, the dashboard counts by it and every page shows the same
colour:

- red "Compromised": an open defacement, injected-links, scam-links or cloaking finding
  of medium severity or worse;
- red "Down": the last check failed;
- orange "Needs attention": any other open finding above "info" (TLS or domain expiring,
  slow answers, a low-severity content finding);
- green "Up"; grey "Not checked yet" or "Paused".

Accepted and resolved findings do not count: a person decided, or the check stopped
seeing them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from citysoc.webwatch.models import Finding, Monitor
from citysoc.webwatch.states import BY_CODE, RED, STATES, State

if TYPE_CHECKING:
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    class _Health(TypedDict):
        open_findings: int
        compromise_findings: int
        notable_findings: int
        health_rank: int

    # Monitors annotated by with_health().
    Annotated = QuerySet[WithAnnotations[Monitor, _Health]]

# Checks whose findings mean someone else controls what the site shows.
COMPROMISE_CHECKS = ("defacement", "injected_links", "scam_links", "cloaking")
SERIOUS = ("critical", "high", "medium")
NOTABLE = ("critical", "high", "medium", "low")


def _open(**lookups) -> Q:
    return Q(findings__status=Finding.Status.OPEN, **lookups)


def with_health(monitors: QuerySet[Monitor]) -> Annotated:
    """Annotate open_findings, compromise_findings, notable_findings and health_rank."""
    annotated = monitors.annotate(
        open_findings=Count("findings", filter=_open(), distinct=True),
        compromise_findings=Count(
            "findings",
            filter=_open(
                findings__check_name__in=COMPROMISE_CHECKS, findings__severity__in=SERIOUS
            ),
            distinct=True,
        ),
        notable_findings=Count(
            "findings", filter=_open(findings__severity__in=NOTABLE), distinct=True
        ),
    )
    return annotated.annotate(
        health_rank=Case(
            When(compromise_findings__gt=0, then=Value(BY_CODE["compromised"].rank)),
            When(enabled=True, is_up=False, then=Value(BY_CODE["down"].rank)),
            When(notable_findings__gt=0, then=Value(BY_CODE["attention"].rank)),
            When(enabled=False, then=Value(BY_CODE["paused"].rank)),
            When(is_up__isnull=True, then=Value(BY_CODE["unknown"].rank)),
            default=Value(BY_CODE["up"].rank),
            output_field=IntegerField(),
        )
    )


def state_of(monitor: Monitor) -> State:
    """The state of a monitor from `with_health`; one query when it was not annotated."""
    rank = getattr(monitor, "health_rank", None)
    if rank is None:
        rank = with_health(Monitor.objects.filter(pk=monitor.pk)).values_list(
            "health_rank", flat=True
        )[0]
    return STATES[rank]


def filter_state(monitors: Annotated, code: str) -> Annotated:
    """Annotated monitors in one state (or both red states for "red")."""
    codes = RED if code == "red" else (code,)
    return monitors.filter(health_rank__in=[BY_CODE[c].rank for c in codes if c in BY_CODE])


def counts(monitors: QuerySet[Monitor]) -> dict[str, int]:
    """How many monitors are in each state, plus the colour totals, for boxes and boards."""
    rows = with_health(monitors).order_by().values_list("health_rank", flat=True)
    result = dict.fromkeys([s.code for s in STATES] + ["red", "orange", "total"], 0)
    for rank in rows:
        state = STATES[rank]
        result[state.code] += 1
        result["total"] += 1
        if state.colour in ("red", "orange"):
            result[state.colour] += 1
    return result


def worst_findings(monitors: list[Monitor], per_monitor: int = 2) -> None:
    """Set `m.top_findings` to the few worst open findings of each monitor (one query)."""
    from citysoc.webwatch.models import SEVERITY_ORDER

    by_monitor: dict[int, list[Finding]] = {m.pk: [] for m in monitors}
    rows = Finding.objects.filter(monitor_id__in=by_monitor, status=Finding.Status.OPEN).exclude(
        severity="info"
    )
    for finding in rows:
        by_monitor[finding.monitor_id].append(finding)
    for m in monitors:
        found = sorted(
            by_monitor[m.pk],
            key=lambda f: (
                f.check_name not in COMPROMISE_CHECKS,
                SEVERITY_ORDER.get(f.severity, 9),
                -f.last_seen.timestamp(),
            ),
        )
        m.top_findings = found[:per_monitor]
        m.more_findings = max(0, len(found) - per_monitor)
