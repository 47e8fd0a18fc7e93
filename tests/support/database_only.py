"""`--database-only`: run only the tests that reach the test database (`make test-pg`).

pytest-django refuses the test database to a test that does not ask for it: a `django_db`
mark, or a fixture built on `db`, `transactional_db` or `live_server`, or one built on
`django_db_setup` that opens the database itself (the data a class or module shares,
tests/support/shared_data.py; `django_db_blocker` alone says nothing: pytest-django gives it
to every test). A test that asks for none of them cannot touch the database, and the
`citysoc` processes tests start always run on SQLite (they drop DATABASE_URL): such a test
gives the same answer whichever database the run has. `make test` runs every test;
`make test-pg` (CI's second run) runs again only the ones whose answer can depend on
PostgreSQL. They were about a quarter of a PostgreSQL run: the engine and its Spark path,
the served hub's processes, the parsers.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest

DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "live_server",
        "django_db_setup",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
    }
)


def reaches_the_database(marked: bool, fixtures: Iterable[str]) -> bool:
    """A test marked `django_db`, or whose fixtures include one that opens the database."""
    return marked or not DATABASE_FIXTURES.isdisjoint(fixtures)


def item_reaches_the_database(item: pytest.Item) -> bool:
    marked = item.get_closest_marker("django_db") is not None
    return reaches_the_database(marked, getattr(item, "fixturenames", ()))


def deselect_the_rest(config: pytest.Config, items: list[pytest.Item]) -> None:
    kept, dropped = [], []
    for item in items:
        (kept if item_reaches_the_database(item) else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
