"""How `make test` hands tests to the xdist workers: a test module at a time.

`--dist loadgroup` would send the tests marked `xdist_group` to one worker, but with pytest 9
xdist 3.8's renaming of grouped tests no longer takes (pytest derives `nodeid` from another
field), so every test went out on its own: each worker started Chromium, built the served
hub and every other module- or class-scoped fixture. Handing out whole modules keeps such a
fixture on one worker, built once.

Order matters. A test on a live server (or any `transaction=True` test) ends by emptying the
tables, which also removes the rows the data migrations seed (security regimes, libraries);
pytest-django therefore runs those tests after the others. Each worker has its own database,
so the rule holds per worker: once a worker has run such a test it runs no other kind.
Here that becomes three phases, each handed out in turn:

1. every other module: first the ones listed in `LONG` (few tests, many seconds: real
   `citysoc` processes, a demo city, the whole API walked), longest first, so that they run
   side by side instead of one of them ending the phase alone (the first two need no test
   database, so that both workers start while the template is made); then the rest,
   largest first;
2. the long independent tests spread one by one (`SPREAD`): they fill whichever worker is
   free at the end of phase 1;
3. the units that empty the tables (`TRANSACTIONAL`): the two non-browser modules first,
   then the browser tests a module at a time, longest first, so that both workers end
   together. Each worker starts its own Chromium once (the browser fixture is per package,
   and a worker's browser modules follow one another).

`check_transactional_units` fails the run if a module that empties the tables is missing
from `TRANSACTIONAL`. A worker is given its next unit only when it has at most one test left
(the one xdist holds back until it knows the next), not two as xdist's own scheduler does:
with units of one long test, a worker no longer queues a test the other, idle, could run.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

from xdist.scheduler import LoadScopeScheduling

BROWSER = "tests/browser/"
# Long tests with nothing shared between them (function-scoped fixtures only): one by one.
SPREAD = {"tests/test_tenancy_sweep.py"}
# Modules whose tests empty the tables (live server, transaction=True): run last. The
# browser tests are listed as their folder; each of its modules is a unit of its own.
TRANSACTIONAL = {
    BROWSER,
    "tests/alerts/test_syslog.py",
    "tests/sweep/test_agent_against_server.py",
}
# Modules that take far longer than their number of tests says, longest first (a module's
# wall seconds in a run on two cores with other work beside it; only the order matters, and
# a new entry only needs to be roughly in place).
LONG = [
    "tests/security/test_served_defaults.py",  # 138: a served hub with the demo city
    # Second, so that the other worker's first unit needs no test database: PySpark runs
    # while the run's main process migrates the template (tests/support/template_db.py),
    # where a database test would wait for it with a core idle.
    "tests/engine/test_spark.py",  # 25: PySpark in local mode
    "tests/security/test_schemathesis.py",  # 112: every API operation
    "tests/security/test_payload_sweep.py",  # 77: every page with a typed payload
    "tests/compliance/test_libraries.py",  # 52: every framework library loaded
    "tests/security/test_file_limits.py",  # 35: `citysoc serve` holding its import worker
    "tests/core/test_demo.py",  # 32: the demo city, loaded three times
    "tests/api/test_schema_matches_responses.py",  # 27
    "tests/notify/test_worker_killed.py",  # 22: workers killed mid-send
    "tests/test_runtime.py",  # 22: `citysoc serve` until a periodic job completes
    "tests/security/test_address_claims.py",  # 19
    # Among the units that empty the tables (only their order among themselves matters).
    "tests/browser/test_mobile.py",  # 32: every main page at phone width
    "tests/browser/test_alerts_browser.py",  # 10: waits for the list to refresh itself
]
EMPTIES_TABLES = {"transactional_db", "live_server"}


def unit_of(nodeid: str) -> str:
    module = nodeid.split("::", 1)[0]
    return nodeid if module in SPREAD else module


def _transactional(module: str) -> bool:
    return module in TRANSACTIONAL or module.startswith(BROWSER)


def _phase(unit: str) -> int:
    module = unit.split("::", 1)[0]
    if module.startswith(BROWSER):
        return 3
    if _transactional(module):
        return 2
    return 1 if module in SPREAD else 0


def _rank(unit: str, size: int) -> tuple[int, int]:
    return (LONG.index(unit), 0) if unit in LONG else (len(LONG), -size)


def order_units(units: dict[str, list[str]]) -> list[str]:
    """The units (each with its tests) in the order of the phases above."""
    return sorted(units, key=lambda u: (_phase(u), *_rank(u, len(units[u]))))


def ordered(collection: list[str]) -> list[str]:
    """The collection regrouped by unit in the order of the phases above; inside a unit
    the collection's order (pytest-django's)."""
    units: dict[str, list[str]] = {}
    for nodeid in collection:
        units.setdefault(unit_of(nodeid), []).append(nodeid)
    return [nodeid for unit in order_units(units) for nodeid in units[unit]]


def check_transactional_units(items: Iterable) -> None:
    """Fail the run, naming the test, if a test that empties the tables is not in a unit
    listed in TRANSACTIONAL (it would remove the seeded rows under the tests that follow)."""
    import pytest

    for item in items:
        if _empties_tables(item) and not _transactional(item.nodeid.split("::", 1)[0]):
            raise pytest.UsageError(
                f"{item.nodeid} empties the tables (live server or transaction=True): "
                "add its module to TRANSACTIONAL in tests/support/scheduling.py"
            )


def _empties_tables(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    return bool(EMPTIES_TABLES & set(getattr(item, "fixturenames", ())))


class ModuleScheduling(LoadScopeScheduling):
    def _split_scope(self, nodeid: str) -> str:
        return unit_of(nodeid)

    def schedule(self) -> None:
        # xdist's own reordering (by size) is off; the queue is put in order below. The
        # workers' collections are left as they are: a worker runs the tests by their
        # index in its own collection.
        self.config.option.loadscopereorder = False
        super().schedule()

    def _assign_work_unit(self, node) -> None:
        if not getattr(self, "_queue_in_order", False):
            # The first call comes once the queue holds every unit, before any is sent.
            units = {unit: list(tests) for unit, tests in self.workqueue.items()}
            self.workqueue = OrderedDict((u, self.workqueue[u]) for u in order_units(units))
            self._queue_in_order = True
        super()._assign_work_unit(node)

    def _reschedule(self, node) -> None:
        """xdist's rule, with one test left instead of two (the module docstring says why)."""
        if node.shutting_down:
            return
        if not self.workqueue:
            node.shutdown()
            return
        if self._pending_of(self.assigned_work[node]) > 1:
            return
        self._assign_work_unit(node)
