"""Rows made once for several tests, as Django's `TestCase.setUpTestData` makes them.

A class- or module-scoped fixture builds them inside a transaction that is rolled back when
the last of its tests is done; each test runs inside it in a savepoint of its own (what
pytest-django's `db` does), so what a test changes is undone before the next one. For data
that costs seconds to build (the demo city) and that several tests only read.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator


@contextlib.contextmanager
def kept_until_the_last_test(django_db_blocker) -> Iterator[None]:
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)
