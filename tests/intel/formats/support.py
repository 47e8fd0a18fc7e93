"""Helpers for the indicator-list format tests: fixtures and the shared real samples."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest

from citysoc.intel.formats.base import ParsedList

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "tests" / "fixtures" / "intel"
SHARED = REPO.parent / "shared" / "samples" / "threat-intel"


def fixture(name: str) -> bytes:
    """Bytes of tests/fixtures/intel/<name>."""
    return (FIXTURES / name).read_bytes()


def shared(name: str) -> Path:
    """Path of a real sample under ../shared/samples/threat-intel; skips when absent."""
    path = SHARED / name
    if not path.exists():
        pytest.skip(f"shared sample threat-intel/{name} not present (needs ../shared/samples)")
    return path


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
