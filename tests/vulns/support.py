"""Helpers shared by the vulns tests: the project's fixtures and the shared samples."""

from __future__ import annotations

from pathlib import Path

from tests import samples

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "vulns"


def shared_sample(name: str) -> Path:
    """A scanner report from the samples folder (not copied: its licence or size forbids);
    the calling test is marked `samples` (tests/samples.py)."""
    return samples.sample(name if name.startswith("scanners/") else f"scanners/{name}")
