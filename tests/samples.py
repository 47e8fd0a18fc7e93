"""The real samples beside the repository (`../shared/samples`), in one place.

They are not ours to copy (licences, size), so a test that reads one says so with
`@pytest.mark.samples` and gets its path from `sample()`. Without the folder such tests
skip with a reason; CI has it and sets CITYSOC_REQUIRE_SAMPLES=1, which turns each of those
skips into a failure so that a CI run can never pass with every real sample skipped.
CITYSOC_SAMPLES points at another copy of the folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = Path(os.environ.get("CITYSOC_SAMPLES") or REPO.parent / "shared" / "samples")
MARKER = "samples"

# The test being run (set by tests/conftest.py), so that sample() can check its marker.
current: pytest.Item | None = None


def required() -> bool:
    return os.environ.get("CITYSOC_REQUIRE_SAMPLES", "") not in ("", "0")


def missing(what: str) -> None:
    """Skip the running test for a missing sample, or fail it where samples are required."""
    reason = f"{what} not found in {SAMPLES} (the samples folder beside the repository)"
    if required():
        pytest.fail(f"CITYSOC_REQUIRE_SAMPLES is set but {reason}", pytrace=False)
    pytest.skip(reason)


def sample(name: str) -> Path:
    """Path of `name` under the samples folder; the calling test must be marked `samples`."""
    if current is not None and current.get_closest_marker(MARKER) is None:
        pytest.fail(f"{current.nodeid} reads a real sample: mark it @pytest.mark.{MARKER}")
    path = SAMPLES / name
    if not path.exists():
        missing(f"sample {name}")
    return path
