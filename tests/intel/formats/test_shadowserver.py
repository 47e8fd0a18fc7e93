import json
from datetime import UTC, datetime

import pytest

from citysoc.intel.formats import shadowserver
from tests.intel.formats import support


def test_it_reads_the_report_columns_in_utc():
    parsed = shadowserver.parse(support.fixture("shadowserver/drone.csv"), "drone.csv")
    support.assert_counts(parsed, entries=3, rejected=1, skipped=1)
    first = parsed.entries[0]
    assert (first.row, first.value, first.family) == (2, "198.51.100.136", "necurs")
    assert (first.c2, first.c2_port, first.port) == ("c2-44.example.net", 8080, None)
    assert (first.asn, first.country) == ("64500", "VN")
    assert first.first_seen == datetime(2024, 1, 4, 16, 53, tzinfo=UTC)
    second = parsed.entries[1]
    assert (second.value, second.port, second.c2) == ("2001:db8:10::79f3", 49152, "192.0.2.232")
    assert second.note == "hostname: host-1.example.net; type: tcp"


def test_an_empty_ip_is_rejected_and_a_bad_one_passed_on():
    parsed = shadowserver.parse(support.fixture("shadowserver/drone.csv"))
    assert [(r.row, r.reason) for r in parsed.rejected] == [(4, "no IP address in column 'ip'")]
    assert parsed.entries[-1].value == "192.0.2"


@pytest.mark.samples
def test_the_real_report_matches_expected_json():
    expected = json.loads(support.shared("botnet-list/expected.json").read_text())
    expected = expected["shadowserver-drone.csv"]
    path = support.shared("botnet-list/shadowserver-drone.csv")
    parsed = shadowserver.parse(path.read_bytes(), path.name)
    assert parsed.rows == expected["rows"]
    bad = [e.row - 2 for e in parsed.entries if not support.is_ip(e.value)]
    assert sorted(bad + [r.row - 2 for r in parsed.rejected]) == expected["rejected_rows"]
    valid = [e.value for e in parsed.entries if support.is_ip(e.value)]
    assert (len(valid), len(set(valid))) == (expected["valid"], expected["distinct_ips"])
