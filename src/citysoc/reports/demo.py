"""The demo city's scoreboard: this week's snapshot, so the trend column starts."""

from __future__ import annotations

from citysoc.core import demo
from citysoc.reports import snapshots


def load() -> None:
    snapshots.take()


# This week's scoreboard snapshot, once every area's demo data is in.
demo.register("reports", load, order=80)
