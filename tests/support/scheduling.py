"""How `make test` hands tests to the xdist workers: a test module at a time.

`--dist loadgroup` would send the tests marked `xdist_group` to one worker, but with pytest 9
xdist 3.8's renaming of grouped tests no longer takes (pytest derives `nodeid` from another
field), so every test went out on its own: each worker started Chromium, built the served
hub and every other module- or class-scoped fixture. Handing out whole modules keeps such a
fixture on one worker, built once; the browser tests all go to one worker (one Chromium).

Order matters. A test on a live server (or any `transaction=True` test) ends by emptying the
tables, which also removes the rows the data migrations seed (security regimes, libraries);
pytest-django therefore runs those tests after the others. Here that becomes: every other
module first (largest first), then the long independent tests spread one by one (they fill
the idle worker at the end), then the units that empty the tables. `TRANSACTIONAL` lists
them; `check_transactional_units` fails the run if a new one is missing from it.
"""

from __future__ import annotations

from collections.abc import Iterable

from xdist.scheduler import LoadScopeScheduling

BROWSER = "tests/browser/"
# Long tests with nothing shared between them (function-scoped fixtures only): one by one.
SPREAD = {"tests/test_tenancy_sweep.py"}
# Modules whose tests empty the tables (live server, transaction=True): run last.
TRANSACTIONAL = {
    BROWSER,
    "tests/alerts/test_syslog.py",
    "tests/sweep/test_agent_against_server.py",
}
EMPTIES_TABLES = {"transactional_db", "live_server"}


def unit_of(nodeid: str) -> str:
    if nodeid.startswith(BROWSER):
        return BROWSER
    module = nodeid.split("::", 1)[0]
    return nodeid if module in SPREAD else module


def _phase(unit: str) -> int:
    module = unit.split("::", 1)[0]
    if unit in TRANSACTIONAL:
        return 2
    return 1 if module in SPREAD else 0


def ordered(collection: list[str]) -> list[str]:
    """The collection regrouped by unit: ordinary units largest first, spread tests, then the
    units that empty the tables; inside a unit the collection's order (pytest-django's)."""
    units: dict[str, list[str]] = {}
    for nodeid in collection:
        units.setdefault(unit_of(nodeid), []).append(nodeid)
    order = sorted(units, key=lambda u: (_phase(u), -len(units[u])))
    return [nodeid for unit in order for nodeid in units[unit]]


def check_transactional_units(items: Iterable) -> None:
    """Fail the run, naming the test, if a test that empties the tables is not in a unit
    listed in TRANSACTIONAL (it would remove the seeded rows under the tests that follow)."""
    import pytest

    for item in items:
        if _empties_tables(item) and unit_of(item.nodeid).split("::", 1)[0] not in TRANSACTIONAL:
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
        if self.collection is None and self.collection_is_completed:
            # Every worker collected the same list; each gets the same new order, and xdist
            # then keeps it (no reordering by size of its own).
            for node, collection in self.registered_collections.items():
                self.registered_collections[node] = ordered(collection)
            self.config.option.loadscopereorder = False
        super().schedule()
