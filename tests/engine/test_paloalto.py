"""paloalto reader: own fixture (always), real sample from ../shared/samples (when present)."""

from citysoc.engine.readers import READERS, detect
from tests.engine import support

NAME = "paloalto"


def test_it_reads_records_and_counts_rejects(engine_fixture):
    rows, stats = support.read(NAME, engine_fixture("paloalto/traffic_url.csv"))
    assert stats.records == 3
    assert stats.rejected == 1
    assert stats.records == len(rows) + stats.rejected
    assert all(line > 0 and reason for _, line, reason, _ in stats.rejects)


def test_it_is_detected(engine_fixture):
    assert detect(engine_fixture("paloalto/traffic_url.csv")) is READERS[NAME]


def test_matching_agrees_between_paths(engine_fixture):
    pairs = support.assert_paths_agree(NAME, engine_fixture("paloalto/traffic_url.csv"))
    assert pairs == [(1, "198.51.100.0/24"), (2, "203.0.113.9"), (2, "evil.example")]


def test_copied_crowdsec_threat_sample(engine_fixture):
    rows, stats = support.read(NAME, engine_fixture("paloalto/palo-alto-threat.log"))
    assert (stats.records, stats.rejected) == (2, 0)
    assert (rows[0]["src"], rows[0]["dst"], rows[0]["time"]) == (
        "1.2.3.2",
        "1.2.3.3",
        "2023/07/06 08:11:40",
    )
