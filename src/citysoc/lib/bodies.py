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

from citysoc.lib import yamldata

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
    raw = yamldata.load(DATA.read_text(encoding="utf-8"))
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


# --- local government tiers -----------------------------------------------------------------

TIERS = Path(__file__).parent / "data" / "local_government.yaml"
DISTRICT_LEVEL_ENDS = dt.date(2025, 6, 30)  # two-level local government from 01/07/2025


@dataclass(frozen=True)
class Tier:
    """How a letter of one local-government tier names itself and whom it addresses."""

    kind: str  # province | city | ward | commune
    word: str  # "tỉnh", "thành phố", "phường", "xã"
    offices: str  # its own departments: "các sở, ban, ngành"
    lower: str  # the lower tier it addresses, "" for a ward or commune
    office_abbr: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    def in_force(self, on: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or on <= self.valid_to
        )


@lru_cache(maxsize=1)
def all_tiers() -> dict[str, tuple[Tier, ...]]:
    raw = yamldata.load(TIERS.read_text(encoding="utf-8"))
    return {kind: tuple(Tier(kind=kind, **v) for v in versions) for kind, versions in raw.items()}


def tier_kind(unit_name: str, unit_kind: str = "") -> str:
    """The tier of a top unit from its name ("Tỉnh …", "Thành phố …", "Phường …", "Xã …")."""
    name = unit_name.strip().lower()
    for prefix, kind in (("tỉnh", "province"), ("thành phố", "city"), ("phường", "ward"),
                         ("xã", "commune"), ("ubnd tỉnh", "province"),
                         ("ubnd phường", "ward"), ("ubnd xã", "commune")):  # fmt: skip
        if name.startswith(prefix):
            return kind
    return "ward" if unit_kind == "ward" else "province"


def local_tier(unit_name: str, on: dt.date, unit_kind: str = "") -> Tier:
    """The tier of the unit named `unit_name` as it stands on `on`."""
    kind = tier_kind(unit_name, unit_kind)
    for tier in all_tiers()[kind]:
        if tier.in_force(on):
            return tier
    raise UnknownBodyError(f"no tier '{kind}' is known on {on:%d/%m/%Y}: add it to {TIERS.name}")


def district_level_exists(on: dt.date) -> bool:
    """Whether district-level units (huyện, thị xã, thành phố thuộc tỉnh) exist on `on`."""
    return on <= DISTRICT_LEVEL_ENDS


def contacts_on(on: dt.date) -> list[Body]:
    """The national contacts in force on `on` (incident coordinator, monitoring centre,
    security authority), for contact lists and report footers; unconfirmed ones included
    and marked by `confirmed`."""
    roles = ("incident_recipient", "national_security", "national_security_centre",
             "national_cert", "national_monitoring")  # fmt: skip
    found = names_on(on)
    return [found[role] for role in roles if role in found]
