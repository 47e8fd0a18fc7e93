"""The fixed cast every access test reuses: two wards of one city, and people in each role.

city ── ward-a (unit_a) ── school-a1 (sub-unit of A)
     ── ward-b (unit_b)
     ── isp-vnpt (isp)
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Django-side imports stay inside the fixtures so that the engine's tests run
# without Django (`pytest tests/engine -p no:django`).

FIXTURES = Path(__file__).parent / "fixtures"


def pytest_addoption(parser):
    parser.addoption(
        "--database-only",
        action="store_true",
        help="run only the tests that reach the test database (tests/support/database_only.py)",
    )


def pytest_collection_modifyitems(config, items):
    from tests.support.scheduling import check_transactional_units

    if config.getoption("database_only"):
        from tests.support.database_only import deselect_the_rest

        deselect_the_rest(config, items)
    check_transactional_units(items)


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session):
    """Everything imported and collected lives until the process ends (support/collector.py)."""
    from tests.support import collector

    collector.settle()


def _builds_a_test_template(config) -> bool:
    """The main process of a parallel run with migrations (tests/support/template_db.py)."""
    return (
        bool(getattr(config.option, "numprocesses", None))
        and not hasattr(config, "workerinput")  # an xdist worker has it
        and config.pluginmanager.hasplugin("django")
        and not config.getvalue("nomigrations")
    )


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist starts the workers
def pytest_sessionstart(session):
    if _builds_a_test_template(session.config):
        from tests.support import template_db

        template_db.start(session.config)


def pytest_sessionfinish(session):
    if _builds_a_test_template(session.config):
        from tests.support import template_db

        template_db.finish(session.config)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """An xdist worker's database starts as a copy of the run's migrated test database."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        from tests.support import template_db

        template_db.use(tmp_path_factory.getbasetemp().parent)


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist, absent with -p no:xdist
def pytest_xdist_make_scheduler(config, log):
    """`--dist loadgroup` (`make test`): whole modules to a worker, the browser tests to one,
    the tests that empty the tables last (tests/support/scheduling.py says why)."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from tests.support.scheduling import ModuleScheduling

    return ModuleScheduling(config, log)


def pytest_runtest_setup(item):
    """A test marked `samples` skips (or fails, in CI) when the samples folder is absent."""
    from tests import samples

    samples.current = item
    if item.get_closest_marker(samples.MARKER) and not samples.SAMPLES.is_dir():
        samples.missing("the samples folder")


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing(request):
    """MD5 for every password the tests make: the cast's and the demo city's hashing would
    otherwise dominate their set-up time. Session-wide, so that data built once for a class
    or module (before any test's own settings) is hashed, and checked, the same way."""
    if not request.config.pluginmanager.hasplugin("django"):
        yield  # the engine's tests, run without Django
        return
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True, scope="session")
def _fast_flush_on_postgresql(request):
    """Live-server and `transaction=True` tests empty the tables with a DELETE per table on
    PostgreSQL instead of one TRUNCATE of all of them (tests/support/fast_flush.py: about
    1 s less per such test, the same rows removed)."""
    if request.config.pluginmanager.hasplugin("django"):
        from django.db import connection

        if connection.vendor == "postgresql":
            from tests.support import fast_flush

            fast_flush.install()


@pytest.fixture(scope="session")
def migrated_hub(tmp_path_factory, request):
    """migrated_hub(folder): put a migrated SQLite database in `folder` (a hub's data folder).

    For tests that start `citysoc` in real processes: one `citysoc migrate` per run, shared
    by the xdist workers, instead of one per test (tests/support/migrated.py)."""
    from tests.support import migrated

    base = tmp_path_factory.getbasetemp()
    # xdist workers' temporary folders sit side by side in the run's own folder.
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    cache = getattr(request.config, "cache", None)  # None with -p no:cacheprovider
    root = cache.mkdir("migrated-hub") if cache is not None else shared / "migrated-hub"
    return migrated.Hub(migrated.template(root))


@pytest.fixture
def loopback_allowed(monkeypatch):
    """Let outbound requests reach 127.0.0.1, where the tests' servers listen.

    A deployed server always refuses loopback (citysoc.lib.outbound); only this fixture
    opens it, for the tests that talk to a local HTTP server."""
    from citysoc.lib import outbound

    monkeypatch.setattr(outbound, "ALLOW_LOOPBACK_FOR_TESTS", True)


@pytest.fixture
def fixture_path():
    def get(name: str) -> Path:
        return FIXTURES / name

    return get


@pytest.fixture
def city(db):
    from citysoc.core.models import Unit
    from tests import factories

    return factories.make_unit("city", kind=Unit.Kind.CITY, name="Thành phố Tam Điệp")


@pytest.fixture
def unit_a(city):
    from tests import factories

    return factories.make_unit("ward-a", parent=city, name="Phường Bắc Sơn")


@pytest.fixture
def unit_b(city):
    from tests import factories

    return factories.make_unit("ward-b", parent=city, name="Phường Nam Sơn")


@pytest.fixture
def sub_unit_a(unit_a):
    from citysoc.core.models import Unit
    from tests import factories

    return factories.make_unit(
        "school-a1", kind=Unit.Kind.SCHOOL, parent=unit_a, name="Trường THCS A1"
    )


@pytest.fixture
def isp(city):
    from citysoc.core.models import Unit
    from tests import factories

    return factories.make_unit("isp-vnpt", kind=Unit.Kind.ISP, parent=city, name="VNPT Ninh Bình")


@pytest.fixture
def officer_a(unit_a):
    from citysoc.core.models import Person
    from tests import factories

    return factories.make_user("officer_a", unit=unit_a, role=Person.Role.UNIT_ADMIN)


@pytest.fixture
def officer_b(unit_b):
    from citysoc.core.models import Person
    from tests import factories

    return factories.make_user("officer_b", unit=unit_b, role=Person.Role.UNIT_ADMIN)


@pytest.fixture
def operator_a(unit_a):
    from citysoc.core.models import Person
    from tests import factories

    return factories.make_user("operator_a", unit=unit_a, role=Person.Role.OPERATOR)


@pytest.fixture
def viewer_a(unit_a):
    from citysoc.core.models import Person
    from tests import factories

    return factories.make_user("viewer_a", unit=unit_a, role=Person.Role.VIEWER)


@pytest.fixture
def isp_liaison(isp):
    from citysoc.core.models import Person
    from tests import factories

    return factories.make_user("liaison", unit=isp, role=Person.Role.ISP_LIAISON)


@pytest.fixture
def city_admin(city):
    from citysoc.core.models import Person
    from tests import factories

    return factories.make_user("city_admin", unit=city, role=Person.Role.CITY_ADMIN)


@pytest.fixture
def viewer(city):
    """A city leader: read-only, sees every unit."""
    from citysoc.core.models import Person
    from tests import factories

    return factories.make_user("viewer", unit=city, role=Person.Role.VIEWER)


@pytest.fixture
def smtp():
    """The real SMTP server on 127.0.0.1, with Django's SMTP backend pointed at it.

    Yields the list of messages it received."""
    from django.test import override_settings

    from tests.support.smtp import smtp_server

    with (
        smtp_server() as (port, inbox),
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_TIMEOUT=5,
        ),
    ):
        yield inbox


@pytest.fixture
def client_as(client):
    """Log a test client in as the given user."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def english(settings):
    """English pages and messages, for tests that assert the English source strings
    (the UI default is Vietnamese): `pytestmark = pytest.mark.usefixtures("english")`."""
    settings.LANGUAGE_CODE = "en"
