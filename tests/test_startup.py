"""A citysoc process starts with the cyclic collector out of the way, and then on again.

The collector is paused while Django starts and what the start made is frozen
(citysoc/startup.py). A process that left it paused would keep every reference cycle it
ever made: a web server or task worker would grow until it is killed.
"""

from __future__ import annotations

import gc
import subprocess
import sys

from citysoc.startup import objects_for_life


def test_the_collector_is_paused_inside_and_running_again_after():
    assert gc.isenabled()
    frozen_before = gc.get_freeze_count()
    with objects_for_life():
        assert not gc.isenabled()
        made_inside = [[] for _ in range(1000)]
    assert gc.isenabled()
    # What the block made is frozen: left out of every later collection.
    assert gc.get_freeze_count() >= frozen_before + len(made_inside)


def test_a_collector_paused_by_the_caller_stays_paused():
    gc.disable()
    try:
        with objects_for_life():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_collector_runs_again_when_the_start_fails():
    try:
        with objects_for_life():
            raise RuntimeError("settings broken")
    except RuntimeError:
        pass
    assert gc.isenabled()


def test_a_citysoc_command_runs_with_its_start_frozen_and_the_collector_on(tmp_path):
    """`citysoc shell` stands for every verb: they all start Django through setup_django."""
    code = "import gc; print(gc.isenabled(), gc.get_freeze_count())"
    done = subprocess.run(
        [sys.executable, "-m", "citysoc.cli", "shell", "-c", code],
        env={"CITYSOC_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    enabled, frozen = done.stdout.split()[-2:]
    assert enabled == "True"
    assert int(frozen) > 50_000  # Django and every app: far more than a bare interpreter
