"""Helpers for the indicator-list format tests: fixtures and the shared real samples."""

from __future__ import annotations

import ipaddress
from pathlib import Path

from citysoc.intel.formats.base import ParsedList
from tests import samples

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "tests" / "fixtures" / "intel"


def fixture(name: str) -> bytes:
    """Bytes of tests/fixtures/intel/<name>."""
    return (FIXTURES / name).read_bytes()


def shared(name: str) -> Path:
    """Path of a real sample under ../shared/samples/threat-intel; skips when absent."""
    return samples.sample(f"threat-intel/{name}")


def is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def assert_counts(parsed: ParsedList, *, entries: int, rejected: int, skipped: int) -> None:
    assert (len(parsed.entries), len(parsed.rejected), parsed.skipped) == (
        entries,
        rejected,
        skipped,
    )
    assert parsed.rows == len(parsed.entries) + len(parsed.rejected)
