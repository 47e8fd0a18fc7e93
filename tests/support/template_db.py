"""One migrated test database per parallel run, copied by each xdist worker.

Migrating a test database costs about 17 s of CPU (Django renders the model states again
for each data migration), and every worker used to do it for its own database. Under
`make test` the run's main process now has it done once, in a subprocess, as soon as the
run starts (while the workers collect the tests):

- SQLite: a file made by Django's own `create_test_db`, in the test environment (so the
  framework libraries are not loaded, as in any test database); each worker copies it into
  its in-memory database with SQLite's backup, before pytest-django's `migrate` finds
  nothing left to apply.
- PostgreSQL: a database `<the run's test database>_template`, which each worker's
  database is created from (`CREATE DATABASE ... TEMPLATE`, Django's `TEST["TEMPLATE"]`);
  the main process drops it at the end.

Everything else in pytest-django's set-up (`migrate` itself, the post-migrate signals, the
cache table) still runs in the worker. A serial run (`-n 0`) migrates as before.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SQLITE_FILE = "test-template.sqlite3"


def _postgres() -> bool:
    return bool(os.environ.get("DATABASE_URL"))


def template_name() -> str:
    """The PostgreSQL template's name: the run's own test database name, suffixed."""
    from django.conf import settings

    return f"{settings.DATABASES['default']['TEST']['NAME']}_template"


def _build(target: str, shared_root: Path) -> None:
    """Make the template (under a lock shared by the run's processes), once."""
    done = shared_root / "test-template.done"
    with (shared_root / "test-template.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if done.exists():
            return
        env = os.environ | {"PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")])}
        built = subprocess.run(
            [sys.executable, "-m", "tests.support.template_db", "create", target],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert built.returncode == 0, built.stdout + built.stderr
        done.write_text(target)


def start(config) -> None:
    """In the run's main process (pytest-xdist's controller): build the template in the
    background while the workers start and collect."""
    shared_root = config._tmp_path_factory.getbasetemp()
    target = template_name() if _postgres() else str(shared_root / SQLITE_FILE)
    (shared_root / "test-template.name").write_text(target)
    thread = threading.Thread(target=_build, args=(target, shared_root), daemon=True)
    thread.start()
    config._test_template = (thread, target)


def finish(config) -> None:
    """In the main process at the end: drop the PostgreSQL template."""
    started = getattr(config, "_test_template", None)
    if started is None or not _postgres():
        return
    thread, target = started
    thread.join()
    subprocess.run(
        [sys.executable, "-m", "tests.support.template_db", "drop", target],
        cwd=ROOT,
        env=os.environ | {"PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")])},
        capture_output=True,
        timeout=120,
        check=False,
    )


def use(shared_root: Path) -> None:
    """In a worker, before pytest-django creates its database: start from the template
    the main process is building (waiting for it if need be)."""
    name_file = shared_root / "test-template.name"
    if not name_file.exists():
        return  # not started by `start` (a run without the main process's hook)
    target = name_file.read_text()
    _build(target, shared_root)  # waits for the main process's build; builds if none
    from django.conf import settings
    from django.db import connections

    if _postgres():
        for store in (settings.DATABASES["default"], connections["default"].settings_dict):
            store.setdefault("TEST", {})["TEMPLATE"] = target
        return
    _copy_into_memory(Path(target))


_kept: list = []  # the in-memory database lives as long as one connection to it is open


def _copy_into_memory(source: Path) -> None:
    import sqlite3

    from django.db.backends.sqlite3.creation import DatabaseCreation

    original = DatabaseCreation._create_test_db

    def create_from_template(self, verbosity, autoclobber, keepdb=False):
        name = original(self, verbosity, autoclobber, keepdb)
        DatabaseCreation._create_test_db = original
        if self.is_in_memory_db(name) and not _kept:
            target = sqlite3.connect(name, uri=True, check_same_thread=False)
            with sqlite3.connect(source) as template:
                template.backup(target)
            template.close()
            _kept.append(target)
        return name

    DatabaseCreation._create_test_db = create_from_template


def _create(target: str) -> None:
    """The subprocess: a test database as pytest-django makes it, at `target`."""
    from citysoc.startup import setup_django
    from tests.support import collector

    setup_django()
    collector.settle()  # migrating makes and drops thousands of model classes
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment(debug=False)  # as pytest-django does: DEBUG off, mail.outbox
    # `autoclobber`: a template left behind by an interrupted run is replaced.
    connection.settings_dict["TEST"]["NAME"] = target
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    connection.close()


def _drop(target: str) -> None:
    import django

    django.setup()
    from django.db import connection

    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{target}"')


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citysoc.settings")
    {"create": _create, "drop": _drop}[sys.argv[1]](sys.argv[2])
