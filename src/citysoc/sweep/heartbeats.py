"""Silent agents: an agent not heard for SILENT_AFTER raises an alert for its unit.

The alert goes through the alert intake (one per agent, by dedup key) and is resolved the
next time the agent is heard. Offline and retired agents are never "silent".
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from citysoc.alerts import intake
from citysoc.sweep.models import Agent

SILENT_AFTER = dt.timedelta(hours=24)


def _key(agent: Agent) -> str:
    return f"sweep:agent-silent:{agent.key}"


def heard(agent: Agent) -> None:
    Agent.objects.filter(pk=agent.pk).update(last_seen=timezone.now(), silent_alerted=False)
    if agent.silent_alerted:
        intake.raise_alert(
            agent.unit,
            kind="system",
            dedup_key=_key(agent),
            severity="medium",
            summary=f"Sweep agent {agent.hostname} is reporting again",
            action="resolve",
            source_name="citysoc-agent",
            host=agent.hostname,
        )


def check_silent(now: dt.datetime | None = None) -> int:
    """Raise one alert per active agent not heard since SILENT_AFTER; return how many."""
    now = now or timezone.now()
    silent = Agent.objects.filter(
        status=Agent.Status.ACTIVE, silent_alerted=False, last_seen__lt=now - SILENT_AFTER
    ).select_related("unit")
    raised = 0
    for agent in silent:
        intake.raise_alert(
            agent.unit,
            kind="system",
            dedup_key=_key(agent),
            severity="medium",
            summary=f"Sweep agent {agent.hostname} silent since "
            f"{timezone.localtime(agent.last_seen):%d/%m/%Y %H:%M}",
            details={"agent": agent.key, "host": agent.hostname},
            source_name="citysoc-agent",
            host=agent.hostname,
        )
        Agent.objects.filter(pk=agent.pk).update(silent_alerted=True)
        raised += 1
    return raised
