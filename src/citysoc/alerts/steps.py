"""What an escalation step is called and whom it reached: shared by the escalation engine
and the messages it sends (kept apart so that neither imports the other)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from citysoc.alerts.models import EscalationStep
from citysoc.core.models import Person
from citysoc.notify.models import Channel


@dataclass
class Reach:
    """Who one step reaches: the people, their channels, who could not be reached, and
    fallbacks taken (written to the timeline)."""

    people: list[Person] = field(default_factory=list)
    channels: list[Channel] = field(default_factory=list)
    unreachable: list[Person] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def local_time(at: dt.datetime) -> str:
    return timezone.localtime(at).strftime("%d/%m/%Y %H:%M")


def step_label(step: EscalationStep, steps: list[EscalationStep], round_: int, repeat: int) -> str:
    return _("Step %(n)s of %(steps)s (round %(round)s of %(rounds)s): %(target)s") % {
        "n": steps.index(step) + 1,
        "steps": len(steps),
        "round": round_ + 1,
        "rounds": repeat + 1,
        "target": step.channel.name if step.channel else step.get_target_display(),
    }
