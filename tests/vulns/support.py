"""Helpers shared by the vulns tests: the project's fixtures and the shared samples."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "vulns"
SHARED_SCANNERS = REPO.parent / "shared" / "samples" / "scanners"


def shared_sample(name: str) -> Path:
    """A scanner report from ../shared/samples (not copied: its licence or size forbids)."""
    path = SHARED_SCANNERS / name
    if not path.exists():
        pytest.skip(f"shared sample {name} not present (needs ../shared/samples beside the repo)")
    return path
