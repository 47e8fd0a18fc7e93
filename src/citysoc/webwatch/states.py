"""The states a website can be in, worst first (the rule that picks one is `health`).

Their own module so that the models can name a state without importing `health`, which
queries the models.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class State:
    rank: int  # 0 is worst; the board sorts by it
    code: str
    colour: str  # "red", "orange", "green", "grey": the badge class
    label: StrOrPromise


STATES = (
    State(0, "compromised", "red", _("Compromised")),
    State(1, "down", "red", _("Down")),
    State(2, "attention", "orange", _("Needs attention")),
    State(3, "up", "green", _("Up")),
    State(4, "unknown", "grey", _("Not checked yet")),
    State(5, "paused", "grey", _("Paused")),
)
BY_CODE = {s.code: s for s in STATES}
RED = tuple(s.code for s in STATES if s.colour == "red")
