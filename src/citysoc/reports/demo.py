"""The demo city's scoreboard: this week's snapshot, so the trend column starts."""

from __future__ import annotations

from citysoc.reports import snapshots


def load() -> None:
    snapshots.take()
