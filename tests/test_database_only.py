"""`make test-pg` runs again only the tests that can reach the database: each test here
checks how it is itself classified, from the marks and fixtures pytest collected for it."""

from __future__ import annotations

import pytest

from tests.support.database_only import item_reaches_the_database, reaches_the_database


def _reaches(request) -> bool:
    return item_reaches_the_database(request.node)


def test_a_test_without_the_database_is_left_to_the_sqlite_run(request, tmp_path):
    assert not _reaches(request)


@pytest.mark.django_db
def test_a_test_marked_django_db_runs_on_postgresql_too(request):
    assert _reaches(request)


def test_a_test_using_a_fixture_built_on_db_runs_on_postgresql_too(request, unit_a):
    assert _reaches(request)


@pytest.fixture(scope="module")
def shared_rows(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        yield


def test_a_test_whose_fixture_opens_the_database_itself_runs_on_postgresql_too(
    request, shared_rows
):
    assert _reaches(request)


def test_a_live_server_test_runs_on_postgresql_too(request):
    # Not started: only the fixture names decide.
    assert reaches_the_database(False, ["live_server", "page"])
