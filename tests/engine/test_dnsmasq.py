"""dnsmasq reader: own fixture (always), real sample from ../shared/samples (when present)."""

import pytest

from citysoc.engine.readers import READERS, detect
from tests.engine import support

NAME = "dnsmasq"


def test_it_reads_records_and_counts_rejects(engine_fixture):
    rows, stats = support.read(NAME, engine_fixture("dnsmasq/dnsmasq.log"))
    assert stats.records == 5
    assert stats.rejected == 1
    assert stats.records == len(rows) + stats.rejected
    assert all(line > 0 and reason for _, line, reason, _ in stats.rejects)


def test_it_is_detected(engine_fixture):
    assert detect(engine_fixture("dnsmasq/dnsmasq.log")) is READERS[NAME]


def test_matching_agrees_between_paths(engine_fixture):
    pairs = support.assert_paths_agree(NAME, engine_fixture("dnsmasq/dnsmasq.log"))
    assert pairs == [
        (1, "evil.example"),
        (2, "evil.example"),
        (3, "198.51.100.0/24"),
        (3, "evil.example"),
    ]


def test_query_client_is_source(engine_fixture):
    rows, _ = support.read(NAME, engine_fixture("dnsmasq/dnsmasq.log"))
    assert (rows[0]["src"], rows[0]["domain"]) == ("10.0.0.5", "c2.evil.example")
    assert rows[3]["dst"] is None  # "is NODATA" is not an address


@pytest.mark.samples
def test_real_pihole_sample(shared_sample):
    _, stats = support.read(NAME, shared_sample("network-logs/dnsmasq/pihole.log"))
    assert (stats.records, stats.rejected) == (23, 0)
