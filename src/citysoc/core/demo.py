"""`citysoc demo`: runs every app's demo step, in order, so core names no app.

Each app's `demo.py` builds its part of the fictional city and registers it at the bottom:

    from citysoc.core import demo
    demo.register("intel", load, order=20)

`load()` finds the `demo` module of every installed app (Django's autodiscovery, as the
admin finds `admin.py`) and runs the steps by `order`, then name. A step takes no
argument, is idempotent (a re-run adds only what is missing) and relies only on the steps
before it; the step that creates the logins returns them as `DemoAccounts`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import autodiscover_modules

# Printed next to every demo login; it passes Django's password validators.
DEMO_PASSWORD = "Demo@2026!"  # noqa: S105 - a published demo password, not a secret


class DemoAccounts(list):
    """The demo logins as plain dicts, plus what `describe()` reports beside them."""

    existing: set[str]
    counts: dict[str, int]


@dataclass(frozen=True)
class DemoStep:
    name: str
    load: Callable[[], Any]
    order: int


_STEPS: dict[str, DemoStep] = {}


def register(name: str, load: Callable[[], Any], *, order: int) -> None:
    """Add (or replace, on a reloaded module) the demo step called `name`."""
    _STEPS[name] = DemoStep(name, load, order)


def registered() -> list[DemoStep]:
    autodiscover_modules("demo")
    return sorted(_STEPS.values(), key=lambda step: (step.order, step.name))


def load() -> DemoAccounts:
    """Create whatever part of the demo city is missing and return the demo logins."""
    accounts = DemoAccounts()
    accounts.existing, accounts.counts = set(), {}
    for step in registered():
        result = step.load()
        if isinstance(result, DemoAccounts):
            accounts = result
    return accounts
