"""fortigate reader: own fixture (always), real sample from ../shared/samples (when present)."""

import pytest

from citysoc.engine.readers import READERS, detect
from tests.engine import support

NAME = "fortigate"


def test_it_reads_records_and_counts_rejects(engine_fixture):
    rows, stats = support.read(NAME, engine_fixture("fortigate/traffic_dns.log"))
    assert stats.records == 3
    assert stats.rejected == 1
    assert stats.records == len(rows) + stats.rejected
    assert all(line > 0 and reason for _, line, reason, _ in stats.rejects)


def test_it_is_detected(engine_fixture):
    assert detect(engine_fixture("fortigate/traffic_dns.log")) is READERS[NAME]


def test_matching_agrees_between_paths(engine_fixture):
    pairs = support.assert_paths_agree(NAME, engine_fixture("fortigate/traffic_dns.log"))
    assert pairs == [(1, "198.51.100.0/24"), (2, "evil.example")]


def test_first_record_fields(engine_fixture):
    rows, _ = support.read(NAME, engine_fixture("fortigate/traffic_dns.log"))
    assert rows[1] == {
        "record": 2,
        "time": "2024-05-01 10:00:01",
        "src": "10.0.0.6",
        "dst": "192.0.2.53",
        "domain": "c2.evil.example",
    }


def test_copied_crowdsec_sample_vpn_events_use_remip(engine_fixture):
    rows, stats = support.read(NAME, engine_fixture("../alerts/fortigate/fortinet-vpn-bf.log"))
    assert (stats.records, stats.rejected) == (9, 0)
    assert {r["src"] for r in rows} == {"192.168.0.1"}


@pytest.mark.samples
def test_real_elastic_sample(shared_sample):
    rows, stats = support.read(NAME, shared_sample("network-logs/fortigate/traffic.log"))
    assert (stats.records, stats.rejected) == (13, 0)
    assert rows[0]["src"] == "10.10.10.10"


def test_garbage_address_next_to_an_unlisted_one_is_rejected(tmp_path):
    path = tmp_path / "forti.log"
    path.write_text(
        'date=2024-05-01 time=10:00:00 logid="0000000013" type="traffic" srcip=10.0.0.5'
        " dstip=8.8.8.8\n"
        'date=2024-05-01 time=10:00:01 logid="0000000013" type="traffic" srcip="10.0.0.999"'
        " dstip=8.8.8.8\n"
    )
    for prefilter in (True, False):
        pairs, stats = support.hits(NAME, path, support.indicator_set(), prefilter)
        assert pairs == []
        assert (stats.records, stats.rejected) == (2, 1)
        assert [line for _, line, _, _ in stats.rejects] == [2]
