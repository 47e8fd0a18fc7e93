"""The landing dashboard: every registered app's box (core/landing.py), in order.

Core names no app: the inventory's per-unit table is a box like any other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from citysoc.core import landing


@dataclass
class Dashboard:
    # Each registered app's box, in display order: (template, box). The boxes ordered at
    # `landing.BODY` or later are drawn after the undelivered-messages box.
    boxes: list[tuple[str, Any]] = field(default_factory=list)
    body: list[tuple[str, Any]] = field(default_factory=list)
    by_name: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        # dashboard.duty, dashboard.intel...: a box by its registered name.
        by_name = self.__dict__.get("by_name", {})
        if name in by_name:
            return by_name[name]
        raise AttributeError(name)


def dashboard_for(user) -> Dashboard:
    """Each registered app's box (core/landing.py) for `user`, each with its own few queries."""
    dashboard = Dashboard()
    for entry in landing.registered():
        box = entry.box_for(user)
        part = dashboard.body if entry.order >= landing.BODY else dashboard.boxes
        part.append((entry.template, box))
        dashboard.by_name[entry.name] = box
    return dashboard


def unit_boxes(unit) -> list[tuple[str, Any]]:
    """Each registered app's box on a unit's page: (template, box), in order."""
    return [(entry.template, entry.box_for(unit)) for entry in landing.unit_boxes()]
