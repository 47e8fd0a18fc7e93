"""`citysoc load-libraries` as an operator runs it: a new database, then a migrated one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

CITYSOC = Path(sys.executable).with_name("citysoc")


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"CITYSOC_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "citysoc.settings"}
    return subprocess.run(
        [str(CITYSOC), *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_before_migrate_it_says_what_to_do_and_after_it_reports_each_library(
    tmp_path, migrated_hub
):
    early = run(tmp_path, "load-libraries", "--json")
    assert early.returncode == 2
    assert "Run `citysoc migrate` first" in early.stderr
    assert "Traceback" not in early.stderr
    migrated_hub(tmp_path)  # what `citysoc migrate` leaves (made once per run)
    done = run(tmp_path, "load-libraries", "--json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    # migrate loaded them already: the explicit run finds nothing to change.
    assert {r["status"] for r in rows} == {"unchanged"}
    by_regime = {r["regime"]: r for r in rows}
    assert set(by_regime) == {"nd85-2016", "nd331-2026"}
    levels = by_regime["nd85-2016"]["requirements"]
    assert levels["3"] > levels["2"] > levels["1"] > 0  # cumulative under TT 12
