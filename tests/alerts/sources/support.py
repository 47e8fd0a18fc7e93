"""Helpers for the alert source tests: fixtures and the shared real samples."""

from __future__ import annotations

from pathlib import Path

from citysoc.alerts.sources.base import Parsed
from tests import samples

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "tests" / "fixtures" / "alerts"


def fixture(name: str) -> bytes:
    """Bytes of tests/fixtures/alerts/<name>."""
    return (FIXTURES / name).read_bytes()


def shared(name: str) -> Path:
    """Path of a real sample under ../shared/samples; skips when absent."""
    return samples.sample(name)


def assert_counts(parsed: Parsed, *, events: int, rejected: int, skipped: int = 0) -> None:
    assert (len(parsed.events), len(parsed.rejected), parsed.skipped) == (
        events,
        rejected,
        skipped,
    )
    assert parsed.records == events + rejected + skipped
