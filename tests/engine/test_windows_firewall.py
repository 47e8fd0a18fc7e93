"""windows_firewall reader: own fixture (always), real sample from ../shared/samples if present."""

import pytest

from citysoc.engine.readers import READERS, detect
from tests.engine import support

NAME = "windows_firewall"


def test_it_reads_records_and_counts_rejects(engine_fixture):
    rows, stats = support.read(NAME, engine_fixture("windows_firewall/pfirewall.log"))
    assert stats.records == 4
    assert stats.rejected == 2
    assert stats.records == len(rows) + stats.rejected
    assert all(line > 0 and reason for _, line, reason, _ in stats.rejects)


def test_it_is_detected(engine_fixture):
    assert detect(engine_fixture("windows_firewall/pfirewall.log")) is READERS[NAME]


def test_matching_agrees_between_paths(engine_fixture):
    pairs = support.assert_paths_agree(NAME, engine_fixture("windows_firewall/pfirewall.log"))
    assert pairs == [(6, "198.51.100.0/24")]


def test_reasons_name_the_problem(engine_fixture):
    _, stats = support.read(NAME, engine_fixture("windows_firewall/pfirewall.log"))
    assert [(line, reason) for _, line, reason, _ in stats.rejects] == [
        (8, "no source or destination address"),
        (9, "fewer fields than the #Fields header"),
    ]


@pytest.mark.samples
def test_real_sample(shared_sample):
    path = shared_sample("network-logs/windows-firewall/pfirewall.log")
    rows, stats = support.read(NAME, path)
    assert stats.records == 16809  # SOURCES.md data lines
    assert stats.rejected == 2  # two INFO-EVENTS-LOST lines carry no address
    support.assert_paths_agree(NAME, path, support.indicator_set(["192.168.178.0/24", "ff02::fb"]))
