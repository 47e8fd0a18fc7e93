"""The shape every alert-source module has; SOURCES is typed with it so mypy checks each
module conforms (a module matches a Protocol of module-level names)."""

from __future__ import annotations

from typing import Protocol

from citysoc.alerts.sources.base import Parsed, Payload


class AlertSource(Protocol):
    NAME: str  # registry key: the intake URL names it
    LABEL: str  # shown to the operator

    def parse(self, payload: Payload) -> Parsed:
        """Turn one payload into events, rejected records and a skipped count."""
