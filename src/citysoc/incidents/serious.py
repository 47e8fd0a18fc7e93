"""The "serious incident" test as a checklist with the article it comes from.

QĐ 05/2017/QĐ-TTg Art. 9: an incident is serious when the system is of level 4 or 5 (or on
the national list of important systems) AND one of the consequences below happens AND the
owner cannot handle it alone. NĐ 331/2026 (from 19/08/2026) sets the 24-hour clock for a
serious incident (Art. 31.2.d) without a new definition in the text read, so the same
criteria are used under it and the page says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

NEW_REGIME_FROM = dt.date(2026, 8, 19)


@dataclass(frozen=True)
class Criterion:
    code: str
    label: StrOrPromise
    group: str  # "system": which systems; "effect": one consequence is enough


CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "level45",
        _("The system is of level 4 or 5, or on the national list of important systems"),
        "system",
    ),
    Criterion("disruption", _("The system's service is disrupted"), "effect"),
    Criterion("secret", _("Top-secret or state-secret information is likely to leak"), "effect"),
    Criterion(
        "integrity", _("Integrity of important data is lost and cannot be recovered"), "effect"
    ),
    Criterion("control", _("Control of the system is lost"), "effect"),
    Criterion(
        "spread",
        _("The incident is likely to spread widely or cause a chain of incidents"),
        "effect",
    ),
)
CODES = {c.code for c in CRITERIA}


def article(on: dt.date) -> str:
    """The text the checklist cites for an incident detected on `on`."""
    if on >= NEW_REGIME_FROM:
        return str(
            _(
                "QĐ 05/2017/QĐ-TTg Art. 9 (criteria); NĐ 331/2026/NĐ-CP Art. 31.2.d sets the "
                "24-hour notice for a serious incident without a new definition"
            )
        )
    return "QĐ 05/2017/QĐ-TTg, Điều 9"


def is_serious(checked: Iterable[str], *, beyond_capacity: bool, max_level: int | None) -> bool:
    """Art. 9: an important system, one consequence, and beyond the owner's own capacity."""
    checked = set(checked)
    important = "level45" in checked or (max_level is not None and max_level >= 4)
    effect = any(c.code in checked for c in CRITERIA if c.group == "effect")
    return important and effect and beyond_capacity
