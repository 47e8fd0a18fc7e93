"""bind reader: own fixture (always), real sample from ../shared/samples (when present)."""

from citysoc.engine.readers import READERS, detect
from tests.engine import support

NAME = "bind"


def test_it_reads_records_and_counts_rejects(engine_fixture):
    rows, stats = support.read(NAME, engine_fixture("bind/query.log"))
    assert stats.records == 4
    assert stats.rejected == 1
    assert stats.records == len(rows) + stats.rejected
    assert all(line > 0 and reason for _, line, reason, _ in stats.rejects)


def test_it_is_detected(engine_fixture):
    assert detect(engine_fixture("bind/query.log")) is READERS[NAME]


def test_matching_agrees_between_paths(engine_fixture):
    pairs = support.assert_paths_agree(NAME, engine_fixture("bind/query.log"))
    assert pairs == [(1, "evil.example"), (3, "2001:db8::5"), (3, "evil.example")]


def test_copied_crowdsec_samples(engine_fixture):
    rows, stats = support.read(NAME, engine_fixture("bind/bind9-syslog.log"))
    assert (stats.records, stats.rejected) == (12, 0)
    assert rows[3]["src"] == "2003:f8:733:b600:6018:bbe4:d0ed:22"
    _, stats = support.read(NAME, engine_fixture("bind/bind9-logs.log"))
    assert (stats.records, stats.rejected) == (13, 0)
