"""`make run` on a fresh machine installs the hub alone; `make test` installs the test tools."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def planned(target: str, *extra: str) -> list[str]:
    """The commands `make` would run for `target` on a machine with nothing installed."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    done = subprocess.run(
        ["make", "--no-print-directory", "--dry-run", "--always-make", target, *extra],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return done.stdout.splitlines()


def test_make_run_installs_only_what_the_hub_needs_and_make_test_adds_the_tools():
    commands = planned("run")
    installs = [c for c in commands if "pip install" in c and "--upgrade pip" not in c]
    assert installs == [".venv/bin/python -m pip install --quiet -e ."]
    assert commands[-1] == ".venv/bin/citysoc serve --host 127.0.0.1 --port 8000"
    commands = planned("test")
    assert any('pip install --quiet -e ".[dev]" -e ./agent' in c for c in commands)
    assert commands[-1].startswith(".venv/bin/python -m pytest -q")


def test_make_run_on_another_port_tells_the_demo_that_port():
    commands = planned("run", "PORT=9000")
    demo = next(c for c in commands if c.endswith("citysoc demo"))
    assert "CITYSOC_SERVE_PORT=9000" in demo
