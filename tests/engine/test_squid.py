"""squid reader: own fixture (always), real sample from ../shared/samples (when present)."""

import pytest

from citysoc.engine.readers import READERS, detect
from tests.engine import support

NAME = "squid"


def test_it_reads_records_and_counts_rejects(engine_fixture):
    rows, stats = support.read(NAME, engine_fixture("squid/access.log"))
    assert stats.records == 4
    assert stats.rejected == 1
    assert stats.records == len(rows) + stats.rejected
    assert all(line > 0 and reason for _, line, reason, _ in stats.rejects)


def test_it_is_detected(engine_fixture):
    assert detect(engine_fixture("squid/access.log")) is READERS[NAME]


def test_matching_agrees_between_paths(engine_fixture):
    pairs = support.assert_paths_agree(NAME, engine_fixture("squid/access.log"))
    assert pairs == [(1, "198.51.100.0/24"), (1, "evil.example"), (2, "203.0.113.9")]


def test_connect_host_and_url_host_become_domains(engine_fixture):
    rows, _ = support.read(NAME, engine_fixture("squid/access.log"))
    assert [r["domain"] for r in rows][:2] == ["c2.evil.example", "www.good.example"]
    assert rows[2]["dst"] is None  # HIER_NONE/-


@pytest.mark.samples
def test_real_sample(shared_sample):
    path = shared_sample("network-logs/squid/squid_access.log")
    _, stats = support.read(NAME, path)
    assert (stats.records, stats.rejected) == (122, 0)
    support.assert_paths_agree(NAME, path, support.indicator_set(["yimg.jp", "182.22.59.229"]))
