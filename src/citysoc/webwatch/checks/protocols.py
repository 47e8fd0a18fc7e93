"""The shape every website-check module has; CHECKS is typed with it so mypy checks each
module conforms (a module matches a Protocol of module-level names)."""

from __future__ import annotations

from typing import Protocol

from citysoc.webwatch.checks.base import Finding
from citysoc.webwatch.checks.context import Context


class SiteCheck(Protocol):
    NAME: str  # registry key, also what a target's skip_checks lists
    LABEL: str  # shown to the officer

    async def run(self, ctx: Context) -> list[Finding]:
        """Look at the fetched site in `ctx` and return what is wrong with it."""
