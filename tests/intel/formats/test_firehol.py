import pytest

from citysoc.intel.formats import firehol
from tests.intel.formats import support


def test_it_reads_entries_and_keeps_the_header_metadata():
    parsed = firehol.parse(support.fixture("firehol/sample.netset"), "sample.netset")
    support.assert_counts(parsed, entries=3, rejected=0, skipped=24)
    assert [(e.row, e.value) for e in parsed.entries] == [
        (25, "192.0.2.7"),
        (26, "198.51.100.0/24"),
        (27, "203.0.113.9"),
    ]
    meta = parsed.meta
    assert meta["list"] == "sample_botnet"
    assert meta["maintainer"] == "Example CERT"
    assert meta["version"] == "42"
    assert meta["source_file_date"] == "Wed Jan 31 10:00:00 UTC 2024"
    assert meta["entries"] == "2 subnets, 257 unique IPs"


@pytest.mark.samples
def test_the_real_feodo_ipset_has_the_235_ips_its_header_announces():
    path = support.shared("firehol/feodo.ipset")
    parsed = firehol.parse(path.read_bytes(), path.name)
    support.assert_counts(parsed, entries=235, rejected=0, skipped=30)
    assert parsed.meta["entries"] == "235 unique IPs"
    assert parsed.meta["maintainer"] == "Abuse.ch"
    assert parsed.meta["this_file_date"] == "Fri Oct 23 13:45:29 UTC 2015"
    assert len({e.value for e in parsed.entries}) == 235


@pytest.mark.samples
def test_the_real_dshield_netset_has_20_subnets():
    path = support.shared("firehol/dshield.netset")
    parsed = firehol.parse(path.read_bytes(), path.name)
    assert len(parsed.entries) == 20
    assert all(e.value.endswith("/24") for e in parsed.entries)
    assert parsed.meta["version"] == "280"
