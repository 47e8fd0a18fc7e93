"""The sweep's part of the work page: hosts to sweep, silent agents, infected hosts.

- A host with an open botnet clean-up task and no sweep result in the last
  `SWEEP_EVERY_DAYS` (or none at all): the unit cannot show it is clean without one.
  Due when its clean-up task is due.
- An active agent not heard for `heartbeats.SILENT_AFTER`: its host is no longer watched.
- A host whose newest sweep result is infected: clean it, then sweep it again (the clean
  sweep verifies its clean-up task). Undated: its clean-up task carries the deadline.

A host in the last group is not listed again in the first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.db.models import Exists, Min, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from citysoc.core.work import WorkItem
from citysoc.intel.models import CleanupTask
from citysoc.inventory.models import Host
from citysoc.sweep.heartbeats import SILENT_AFTER
from citysoc.sweep.models import Agent, Result, Verdict

if TYPE_CHECKING:
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    class _HostWork(TypedDict):
        latest: str | None
        latest_id: int | None
        last_swept: dt.datetime | None
        on_list: bool
        task_due: dt.date | None


# A botnet list comes monthly; a host on it should be swept at least weekly until verified.
SWEEP_EVERY_DAYS = 7


def _hosts(units, since: dt.datetime) -> QuerySet[WithAnnotations[Host, _HostWork]]:
    newest = Result.objects.filter(host_id=OuterRef("pk")).order_by("-finished_at", "-id")
    open_tasks = CleanupTask.objects.filter(
        host_id=OuterRef("pk"), status__in=CleanupTask.OPEN_STATES
    )
    task_due = open_tasks.order_by().values("host_id").annotate(due=Min("due_date")).values("due")
    return (
        Host.objects.filter(unit__in=units)
        .annotate(
            latest=Subquery(newest.values("verdict")[:1]),
            latest_id=Subquery(newest.values("id")[:1]),
            last_swept=Subquery(newest.values("finished_at")[:1]),
            on_list=Exists(open_tasks),
            task_due=Subquery(task_due[:1]),
        )
        .filter(
            Q(latest=Verdict.INFECTED)
            | Q(on_list=True) & (Q(last_swept__isnull=True) | Q(last_swept__lt=since))
        )
        .select_related("unit")
    )


def _host_item(host: WithAnnotations[Host, _HostWork]) -> WorkItem:
    if host.latest == Verdict.INFECTED:
        return WorkItem(
            unit_id=host.unit_id,
            unit_name=host.unit.name,
            area="sweep",
            kind="infected",
            title=_("Clean %(host)s and sweep it again: its last sweep found malware")
            % {"host": host.hostname},
            due=None,
            url=reverse("sweep:result-detail", args=[host.latest_id]),
            action=_("See the evidence"),
            severity="critical",
        )
    if host.last_swept is None:
        title = _("Sweep %(host)s: on the botnet list and never swept")
    else:
        title = _("Sweep %(host)s: on the botnet list and not swept since %(date)s")
    when = timezone.localtime(host.last_swept).strftime("%d/%m/%Y") if host.last_swept else ""
    return WorkItem(
        unit_id=host.unit_id,
        unit_name=host.unit.name,
        area="sweep",
        kind="not_swept",
        title=title % {"host": host.hostname, "date": when},
        due=host.task_due,
        url=f"{reverse('sweep:home')}?unit={host.unit.code}#not-swept",
        action=_("Sweep"),
        severity="high",
    )


def _agent_item(agent: Agent) -> WorkItem:
    if agent.last_seen is None:
        raise ValueError("an agent never heard is not silent")  # the query asks last_seen
    since = timezone.localtime(agent.last_seen)
    return WorkItem(
        unit_id=agent.unit_id,
        unit_name=agent.unit.name,
        area="sweep",
        kind="silent_agent",
        title=_("Sweep agent on %(host)s silent since %(when)s")
        % {"host": agent.hostname, "when": since.strftime("%d/%m/%Y %H:%M")},
        due=agent.last_seen + SILENT_AFTER,
        url=f"{reverse('sweep:home')}?unit={agent.unit.code}",
        action=_("Check the agent"),
        severity="medium",
    )


def items_for(units, today: dt.date) -> Iterator[WorkItem]:
    now = timezone.now()
    for host in _hosts(units, now - dt.timedelta(days=SWEEP_EVERY_DAYS)):
        yield _host_item(host)
    silent = Agent.objects.filter(
        unit__in=units, status=Agent.Status.ACTIVE, last_seen__lt=now - SILENT_AFTER
    ).select_related("unit")
    for agent in silent:
        yield _agent_item(agent)
