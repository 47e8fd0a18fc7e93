"""The order `make test` hands tests to its workers: the tests that empty the tables last,
whole modules together, the long ones first (tests/support/scheduling.py)."""

import pytest

from tests.support import scheduling


def test_units_that_empty_the_tables_come_after_everything_else():
    collection = [
        "tests/alerts/test_syslog.py::test_a",
        "tests/browser/test_login.py::test_b",
        "tests/alerts/test_intake.py::test_c",
        "tests/test_tenancy_sweep.py::test_d[a-b]",
        "tests/alerts/test_intake.py::test_e",
        "tests/core/test_demo.py::test_f",
        "tests/browser/test_mobile.py::test_g",
        "tests/browser/test_login.py::test_h",
        "tests/security/test_served_defaults.py::test_i",
    ]
    assert scheduling.ordered(collection) == [
        "tests/security/test_served_defaults.py::test_i",  # the long modules, longest first
        "tests/core/test_demo.py::test_f",
        "tests/alerts/test_intake.py::test_c",  # then the others, largest first
        "tests/alerts/test_intake.py::test_e",
        "tests/test_tenancy_sweep.py::test_d[a-b]",  # spread, one by one
        "tests/alerts/test_syslog.py::test_a",  # empties the tables, not a browser test
        "tests/browser/test_mobile.py::test_g",  # the browser modules, the long one first
        "tests/browser/test_login.py::test_b",
        "tests/browser/test_login.py::test_h",
    ]


def test_each_browser_module_and_each_spread_test_is_a_unit_of_its_own():
    assert scheduling.unit_of("tests/browser/test_mobile.py::test_g") == (
        "tests/browser/test_mobile.py"
    )
    assert scheduling.unit_of("tests/alerts/test_intake.py::TestX::test_c") == (
        "tests/alerts/test_intake.py"
    )
    spread = "tests/test_tenancy_sweep.py::test_d[a-b]"
    assert scheduling.unit_of(spread) == spread


def _item(nodeid, fixturenames=(), marker=None):
    class Item:
        def get_closest_marker(self, name):
            return marker if name == "django_db" else None

    item = Item()
    item.nodeid, item.fixturenames = nodeid, list(fixturenames)
    return item


def test_a_module_on_a_live_server_must_be_listed():
    with pytest.raises(pytest.UsageError, match="add its module to TRANSACTIONAL"):
        scheduling.check_transactional_units(
            [_item("tests/core/test_new.py::test_on_a_live_server", ["live_server"])]
        )
    transaction = pytest.mark.django_db(transaction=True).mark
    with pytest.raises(pytest.UsageError, match="tests/core/test_new.py::test_t"):
        scheduling.check_transactional_units(
            [_item("tests/core/test_new.py::test_t", (), transaction)]
        )
    # Listed: every browser module (the folder is listed), and the other listed modules.
    scheduling.check_transactional_units(
        [
            _item("tests/browser/test_new.py::test_b", ["live_server"]),
            _item("tests/alerts/test_syslog.py::test_s", (), transaction),
            _item("tests/core/test_new.py::test_plain", ["db"]),
        ]
    )


def test_every_listed_module_exists():
    from pathlib import Path

    root = Path(__file__).parent.parent
    for unit in scheduling.TRANSACTIONAL | scheduling.SPREAD | set(scheduling.LONG):
        assert (root / unit).exists(), unit


class _Node:
    shutting_down = False
    shut = False

    def __init__(self, name):
        self.sent: list[list[int]] = []
        self.gateway = type("Gateway", (), {"id": name})()

    def send_runtest_some(self, indices):
        self.sent.append(indices)

    def shutdown(self):
        self.shut = True


def _scheduler(collection):
    from types import SimpleNamespace

    config = SimpleNamespace(
        option=SimpleNamespace(loadscopereorder=True, maxfail=0),
        getvalue=lambda name: ["2*popen"] if name == "tx" else None,
    )
    sched = scheduling.ModuleScheduling(config)
    one, two = _Node("gw0"), _Node("gw1")
    for node in (one, two):
        sched.add_node(node)
        sched.add_node_collection(node, collection)
    sched.schedule()
    return sched, one, two


def test_a_worker_is_sent_the_indices_of_its_own_collection():
    """A worker runs `items[i]` of the collection it made (pytest-django's order): the
    units go out in the scheduler's order, each test named by its place in that list."""
    collection = [
        "tests/a/test_x.py::test_1",
        "tests/a/test_x.py::test_2",
        "tests/security/test_served_defaults.py::test_s",
        "tests/browser/test_login.py::test_b",
        "tests/a/test_y.py::test_1",
    ]
    sched, one, two = _scheduler(collection)

    def names(node):
        return [[collection[i] for i in batch] for batch in node.sent]

    assert names(one) == [
        ["tests/security/test_served_defaults.py::test_s"],  # a long module: first
        ["tests/a/test_y.py::test_1"],  # one test: the next unit goes out at once
    ]
    assert names(two) == [["tests/a/test_x.py::test_1", "tests/a/test_x.py::test_2"]]
    sched.mark_test_complete(two, 0)  # the worker reports by its own index too
    assert names(two)[-1] == ["tests/browser/test_login.py::test_b"]  # empties: last


def test_a_worker_gets_its_next_unit_when_one_test_is_left():
    """xdist holds a worker's last test back until it knows the next one: the next unit is
    sent then, not while two tests are still to run (one of them may be long)."""
    collection = [
        "tests/a/test_x.py::test_1",
        "tests/a/test_x.py::test_2",
        "tests/a/test_x.py::test_3",
        "tests/a/test_y.py::test_1",
        "tests/a/test_z.py::test_1",
        "tests/a/test_w.py::test_1",
    ]
    sched, one, two = _scheduler(collection)
    assert one.sent == [[0, 1, 2]]  # test_x.py: three tests, no second unit yet
    assert two.sent == [[3], [4]]  # one test: the next unit is sent at once
    sched.mark_test_complete(one, 0)
    assert one.sent == [[0, 1, 2]]  # two tests still to run: test_w.py waits
    sched.mark_test_complete(one, 1)
    assert one.sent == [[0, 1, 2], [5]]
    sched.mark_test_complete(two, 3)
    assert two.shut  # nothing left to hand out: the worker stops when done


def test_emptying_the_tables_on_postgresql_deletes_every_row_of_every_table(db):
    """tests/support/fast_flush.py: the DELETE flush leaves every table as TRUNCATE would,
    parents listed before their children included (the keys are checked at the end)."""
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection

    from citysoc.core.models import Person, Unit
    from tests import factories
    from tests.support import fast_flush

    if connection.vendor != "postgresql":
        pytest.skip("the fast flush is PostgreSQL's (SQLite's flush is already a DELETE)")
    fast_flush.install()
    city = factories.make_unit("flush-city", kind=Unit.Kind.CITY)
    ward = factories.make_unit("flush-ward", parent=city)
    Person.objects.create(unit=ward, full_name="Lan", email="lan@x.vn")
    tables = connection.introspection.django_table_names(only_existing=True)
    statements = connection.ops.sql_flush(no_style(), tables)
    assert statements[0] == "SET CONSTRAINTS ALL DEFERRED;"
    assert len(statements) == len(tables) + 1
    # As TransactionTestCase empties them after a test.
    call_command(
        "flush", interactive=False, verbosity=0, reset_sequences=False, inhibit_post_migrate=True
    )
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred key checks, now
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - a table name of ours
            assert cursor.fetchone() == (0,), table
    assert not Unit.objects.exists()


def test_only_the_sweep_tests_connect_to_their_c2_address():
    """The agent lists every connection of the machine, the other worker's too: a test
    elsewhere that talks to or from the sweep tests' C2 address makes a clean re-sweep
    report "infected" when the two run at the same time (it did, with the syslog tests)."""
    from pathlib import Path

    from tests.sweep import support

    tests = Path(__file__).parent
    users = sorted(
        str(path.relative_to(tests))
        for path in tests.rglob("*.py")
        if support.C2 in path.read_text(encoding="utf-8") and path.parent.name != "sweep"
    )
    assert users == [], users
