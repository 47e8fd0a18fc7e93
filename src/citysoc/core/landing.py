"""The dashboard's boxes: each app registers its own, so core imports none of them.

An app adds a box from its `AppConfig.ready()`:

    from citysoc.core import landing
    landing.register("intel", "intel/_dashboard_box.html", box_for, order=30)

`box_for(user)` returns the object the template receives as `box`. Boxes are shown in
`order`, then name; a new area adds its box without editing core.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class LandingBox:
    name: str
    template: str
    box_for: Callable[[Any], Any]
    order: int = 100


_BOXES: dict[str, LandingBox] = {}


def register(name: str, template: str, box_for: Callable[[Any], Any], *, order: int = 100) -> None:
    """Add (or replace, on a reloaded app) the box called `name`."""
    _BOXES[name] = LandingBox(name, template, box_for, order)


def registered() -> list[LandingBox]:
    return sorted(_BOXES.values(), key=lambda box: (box.order, box.name))
