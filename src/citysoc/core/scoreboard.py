"""The city scoreboard's components: each area adds its own, so core imports none of them.

A component turns an area's data into one raw figure per unit, and the raw figure into
points out of 100 by a rule stated in words on the page:

    from citysoc.core import scoreboard
    scoreboard.register(scoreboard.Component(
        key="botnet", label=_("Infected hosts"), raw=raw_figures, points=points,
        rule=_("100 − 10 per open task − 15 more per overdue task"), drill=drill_url))

`raw(units, today)` returns `{unit_id: Raw}` for the units it has a figure for, in one or
a few grouped queries; a unit it has nothing to say about is left out (shown "—", its
weight not counted for that unit). The weights are data (`reports/weights.yaml`); a key
there with no registered component is shown as "not tracked yet", never as a zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Raw:
    """A unit's raw figure for one component: the number, its parts, and how it reads."""

    value: float
    text: str
    parts: tuple[tuple[str, float], ...] = ()  # named parts the points rule uses

    def part(self, name: str) -> float:
        return dict(self.parts).get(name, 0)


@dataclass(frozen=True)
class Component:
    key: str
    label: Any
    raw: Callable[[Any, dt.date], dict[int, Raw]]
    points: Callable[[Raw], float]
    rule: Any  # the points rule in words, shown beside the weights
    drill: Callable[[Any], str] | None = None  # unit -> the page listing the items


_COMPONENTS: dict[str, Component] = {}


def register(component: Component) -> None:
    """Add (or replace, on a reloaded app) the component `component.key`."""
    _COMPONENTS[component.key] = component


def registered() -> dict[str, Component]:
    return dict(_COMPONENTS)


def clamp(points: float) -> float:
    """Points are between 0 and 100, rounded to one decimal."""
    return round(max(0.0, min(100.0, points)), 1)
