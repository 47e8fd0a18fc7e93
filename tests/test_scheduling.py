"""The order `make test` hands tests to its workers: the tests that empty the tables last,
whole modules together (tests/support/scheduling.py)."""

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
    ]
    assert scheduling.ordered(collection) == [
        "tests/alerts/test_intake.py::test_c",  # ordinary modules, largest first
        "tests/alerts/test_intake.py::test_e",
        "tests/core/test_demo.py::test_f",
        "tests/test_tenancy_sweep.py::test_d[a-b]",  # spread, one by one
        "tests/browser/test_login.py::test_b",  # the browser tests: one unit
        "tests/browser/test_mobile.py::test_g",
        "tests/alerts/test_syslog.py::test_a",
    ]


def test_a_module_on_a_live_server_must_be_listed():
    class Item:
        nodeid = "tests/core/test_new.py::test_on_a_live_server"
        fixturenames = ["live_server"]

        def get_closest_marker(self, name):
            return None

    with pytest.raises(pytest.UsageError, match="add its module to TRANSACTIONAL"):
        scheduling.check_transactional_units([Item()])


def test_every_listed_module_exists():
    from pathlib import Path

    root = Path(__file__).parent.parent
    for unit in scheduling.TRANSACTIONAL | scheduling.SPREAD:
        assert (root / unit).exists(), unit
