"""The state bodies in force on a date: who a directive cites, whom a report goes to.

The names are data (`data/bodies.yaml`), each version with its validity dates and source,
so that a 2027 template names the bodies of 2027 — not the Department of Information and
Communications abolished on 01/03/2025 — and a 2024 letter keeps the names of 2024.
No Django here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data" / "bodies.yaml"


@dataclass(frozen=True)
class Body:
    """One version of a body: its names, validity and source."""

    role: str
    name: str
    short: str
    abbreviation: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    contact: str = ""
    source: str = ""
    confirmed: bool = True

    def in_force(self, on: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or on <= self.valid_to
        )


class UnknownBodyError(LookupError):
    """No body of that role is known for that date: the data file needs a version."""


@lru_cache(maxsize=1)
def all_bodies() -> dict[str, tuple[Body, ...]]:
    """Every version of every role, read once from the data file."""
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return {
        role: tuple(Body(role=role, **version) for version in versions)
        for role, versions in raw.items()
    }


def in_force(role: str, on: dt.date) -> Body:
    """The version of `role` in force on `on`."""
    for body in all_bodies().get(role, ()):
        if body.in_force(on):
            return body
    raise UnknownBodyError(f"no body '{role}' is known on {on:%d/%m/%Y}: add it to {DATA.name}")


def names_on(on: dt.date) -> dict[str, Body]:
    """Every role's body in force on `on` (roles without one are left out)."""
    return {role: body for role in all_bodies() for body in all_bodies()[role] if body.in_force(on)}
