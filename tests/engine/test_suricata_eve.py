"""Suricata EVE JSON reader."""

import pytest

from tests.engine import support


def test_it_reads_dns_http_tls_names(engine_fixture):
    rows, stats = support.read("suricata_eve", engine_fixture("suricata_eve/eve.json"))
    assert [r["domain"] for r in rows] == [
        "c2.evil.example",
        "c2.evil.example",
        "www.good.example",
        "xn--bcher-kva.example",
        None,  # stats event: read, cannot match
    ]
    assert [(line, reason) for _, line, reason, _ in stats.rejects] == [
        (6, "not an EVE event (no event_type)")
    ]


def test_matching_agrees_between_paths(engine_fixture):
    iset = support.indicator_set([*support.TEST_INDICATORS, "bücher.example"])
    pairs = support.assert_paths_agree(
        "suricata_eve", engine_fixture("suricata_eve/eve.json"), iset
    )
    assert (1, "evil.example") in pairs and (2, "evil.example") in pairs
    assert (3, "203.0.113.9") in pairs
    assert (4, "bücher.example") in pairs  # IDN indicator vs punycode SNI
    assert (4, "2001:db8::5") in pairs and (4, "2001:db8:ffff::/48") in pairs


@pytest.mark.samples
def test_real_sample(shared_sample):
    path = shared_sample("network-logs/suricata/suricata-logs-evelog.log")
    rows, stats = support.read("suricata_eve", path)
    assert (stats.records, stats.rejected) == (8, 0)
    pairs = support.assert_paths_agree("suricata_eve", path, support.indicator_set(["1.2.3.0/24"]))
    assert len(pairs) == 6
