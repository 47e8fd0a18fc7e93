"""Fixtures for engine tests: no database, no Django (runnable with `-p no:django`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.engine import support


@pytest.fixture
def engine_fixture():
    """Path of a file under tests/fixtures/engine/<reader>/."""

    def get(name: str) -> Path:
        path = support.FIXTURES / name
        assert path.exists(), f"missing fixture {path}"
        return path

    return get


@pytest.fixture
def shared_sample():
    """Path of a file under ../shared/samples/; skips the test when it is not there."""

    def get(name: str) -> Path:
        return support.shared_sample(name)

    return get
