"""One migrated SQLite database per test run, for the tests that start `citysoc` processes.

Running every migration from scratch costs about 17 s of CPU (Django re-renders the model
states dozens of times); seven tests used to do it each, in a subprocess. They copy this
file database instead. It is made by `citysoc migrate` itself, so a copy is exactly what an
operator's first `migrate` leaves. Under pytest-xdist the workers share one: the first to
ask builds it while holding a lock, the others wait and copy.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

CITYSOC = [sys.executable, "-m", "citysoc.cli"]
DATABASE = "citysoc.sqlite3"


def _env(data_dir: Path) -> dict[str, str]:
    # A bare SQLite hub: no server database, no settings from the developer's shell.
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    return env | {"CITYSOC_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "citysoc.settings"}


def template(shared_root: Path) -> Path:
    """The migrated database under `shared_root`, built on the first call of the run."""
    folder = shared_root / "migrated-hub"
    folder.mkdir(exist_ok=True)
    with (shared_root / "migrated-hub.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "done").exists():
            done = subprocess.run(
                [*CITYSOC, "migrate", "--no-input", "-v0"],
                env=_env(folder),
                capture_output=True,
                text=True,
                timeout=600,
            )
            assert done.returncode == 0, done.stderr
            (folder / "done").touch()
    return folder / DATABASE


class Hub:
    """hub(folder): put a copy of the migrated database in `folder` (made if missing)."""

    def __init__(self, source: Path) -> None:
        self.source = source

    def __call__(self, data_dir: Path) -> Path:
        data_dir.mkdir(parents=True, exist_ok=True)
        # The migrate process closed its last connection, which checkpoints the WAL into
        # the main file; any -wal/-shm left beside it go along so the copy is consistent.
        for path in self.source.parent.glob(DATABASE + "*"):
            shutil.copy(path, data_dir / path.name)
        return data_dir / DATABASE
