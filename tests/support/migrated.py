"""One migrated SQLite database per test run, for the tests that start `citysoc` processes.

Running every migration from scratch costs about 17 s of CPU (Django re-renders the model
states dozens of times); seven tests used to do it each, in a subprocess. They copy this
file database instead. It is made by `citysoc migrate` itself, so a copy is exactly what an
operator's first `migrate` leaves. Under pytest-xdist the workers share one: the first to
ask builds it while holding a lock, the others wait and copy.

With pytest's cache on (as under `make test`), the file is kept in the cache folder under a
key made of the hub's sources and the installed packages, so the next run of the same code
copies it instead of migrating again (CI's PostgreSQL run reuses the SQLite run's; any
change under src/ or to a package makes a new one).
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib.metadata
import os
import shutil
import subprocess
import sys
from pathlib import Path

CITYSOC = [sys.executable, "-m", "citysoc.cli"]
DATABASE = "citysoc.sqlite3"
SOURCES = Path(__file__).resolve().parents[2] / "src" / "citysoc"


def _env(data_dir: Path) -> dict[str, str]:
    # A bare SQLite hub: no server database, no settings from the developer's shell.
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    return env | {"CITYSOC_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "citysoc.settings"}


def sources_key() -> str:
    """A digest of what a migrated database depends on: the hub's files (migrations, the
    libraries loaded after them, the code they run), Python and the installed packages."""
    digest = hashlib.sha256(sys.version.encode())
    packages = sorted(
        f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions()
    )
    digest.update("\n".join(packages).encode())
    for path in sorted(SOURCES.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(SOURCES)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:20]


def template(root: Path) -> Path:
    """The migrated database under `root`, in a folder named by `sources_key()`: built by
    the first call, copied by every later one for as long as the sources stay the same."""
    folder = root / sources_key()
    folder.mkdir(parents=True, exist_ok=True)
    with (root / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "done").exists():
            for old in root.iterdir():  # databases of older sources only take space
                if old.is_dir() and old != folder:
                    shutil.rmtree(old, ignore_errors=True)
            for leftover in folder.glob(DATABASE + "*"):  # an interrupted build
                leftover.unlink()
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
