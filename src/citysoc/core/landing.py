"""The dashboard's boxes: each app registers its own, so core imports none of them.

An app adds a box from its `AppConfig.ready()`:

    from citysoc.core import landing
    landing.register("intel", "intel/_dashboard_box.html", box_for, order=30)

`box_for(user)` returns the object the template receives as `box`. Boxes are shown in
`order`, then name; a new area adds its box without editing core. A box ordered at `BODY`
or later is drawn below the undelivered-messages box (the inventory's per-unit table).

A unit's page has its boxes too (`register_unit_box`, `box_for(unit)`): the inventory
counts of that unit.
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


BODY = 1000

_BOXES: dict[str, LandingBox] = {}
_UNIT_BOXES: dict[str, LandingBox] = {}


def register(name: str, template: str, box_for: Callable[[Any], Any], *, order: int = 100) -> None:
    """Add (or replace, on a reloaded app) the box called `name`."""
    _BOXES[name] = LandingBox(name, template, box_for, order)


def registered() -> list[LandingBox]:
    return sorted(_BOXES.values(), key=lambda box: (box.order, box.name))


def register_unit_box(
    name: str, template: str, box_for: Callable[[Any], Any], *, order: int = 100
) -> None:
    """Add (or replace) the unit page's box called `name`; `box_for(unit)` fills it."""
    _UNIT_BOXES[name] = LandingBox(name, template, box_for, order)


def unit_boxes() -> list[LandingBox]:
    return sorted(_UNIT_BOXES.values(), key=lambda box: (box.order, box.name))
