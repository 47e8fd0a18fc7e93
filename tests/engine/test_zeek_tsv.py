"""Zeek TSV reader (#fields header)."""

import pytest

from tests.engine import support


def test_it_reads_fields_by_the_header(engine_fixture):
    rows, stats = support.read("zeek_tsv", engine_fixture("zeek_tsv/dns.log"))
    assert rows[0] == {
        "record": 8,
        "time": "1714557600.000001",
        "src": "10.0.0.5",
        "dst": "192.0.2.53",
        "domain": "sub.evil.example",
    }
    assert rows[1]["domain"] == "good.example"
    assert [(line, reason) for _, line, reason, _ in stats.rejects] == [
        (10, "fewer fields than the #fields header")
    ]
    assert stats.records == 4  # '#' lines are headers, not records


def test_unset_field_is_null(engine_fixture):
    rows, _ = support.read("zeek_tsv", engine_fixture("zeek_tsv/dns.log"))
    assert rows[-1]["domain"] is None


def test_matching_agrees_between_paths(engine_fixture):
    pairs = support.assert_paths_agree("zeek_tsv", engine_fixture("zeek_tsv/dns.log"))
    assert pairs == [(8, "evil.example")]


@pytest.mark.samples
def test_real_gzip_dns_log(shared_sample):
    path = shared_sample("network-logs/zeek/zeek-default/dns.log.gz")
    rows, stats = support.read("zeek_tsv", path)
    assert stats.records == 53615  # SOURCES.md data lines
    assert stats.rejected == 0
    assert rows[0]["domain"] == "ise.wrccdc.org"
    iset = support.indicator_set(["wrccdc.org", "10.47.1.100"])
    pairs = support.assert_paths_agree("zeek_tsv", path, iset)
    assert len(pairs) > 1000


@pytest.mark.samples
def test_real_proxy_conn_log(shared_sample):
    _, stats = support.read("zeek_tsv", shared_sample("network-logs/zeek/rita-proxy/conn.log"))
    assert (stats.records, stats.rejected) == (463, 0)
