from datetime import UTC, datetime

import pytest

from citysoc.alerts.sources import suricata
from citysoc.alerts.sources.base import PayloadError
from tests.alerts.sources import support

EVE = "suricata/suricata-logs-evelog.log"


def test_the_real_eve_log_gives_four_alerts_and_skips_flow_and_stats():
    parsed = suricata.parse(support.fixture(EVE))
    support.assert_counts(parsed, events=4, rejected=0, skipped=4)
    assert [(e.details["signature_id"], e.severity) for e in parsed.events] == [
        (2024468, "high"),
        (2843816, "medium"),
        (2034125, "high"),
        (2034125, "high"),
    ]


def test_an_alert_carries_signature_addresses_ports_and_time():
    first = suricata.parse(support.fixture(EVE)).events[0]
    assert first.summary == "ET WEB_SPECIFIC_APPS OGNL Expression Injection (CVE-2017-9791)"
    assert (first.src_ip, first.dst_ip, first.host) == ("1.2.3.4", "127.0.0.1", "")
    assert (first.details["src_port"], first.details["dest_port"]) == (52812, 80)
    assert first.details["category"] == "Attempted User Privilege Gain"
    assert first.occurred_at == datetime(2022, 7, 10, 23, 50, 5, 533101, tzinfo=UTC)


def test_the_repeated_path_traversal_alert_shares_one_key():
    events = suricata.parse(support.fixture(EVE)).events
    assert events[2].dedup_key == events[3].dedup_key == "1:2034125|1.2.3.7|127.0.0.1"
    assert events[2].occurred_at != events[3].occurred_at
    assert events[2].details["cve"] == ["CVE_2021_41773"]


@pytest.mark.samples
def test_the_shared_sample_is_the_same_file():
    path = support.shared("network-logs/suricata/suricata-logs-evelog.log")
    assert path.read_bytes() == support.fixture(EVE)


def test_bad_lines_are_rejected_by_line_number_while_the_rest_parse():
    lines = support.fixture(EVE).decode().splitlines()
    lines[1] = lines[1].replace('"dest_ip":"127.0.0.1"', '"dest_ip":"localhost"')
    lines.insert(3, '{"timestamp": "2022-07-11T00:00:00+0000"}')
    lines.insert(4, "garbage")
    parsed = suricata.parse("\n".join(lines))
    support.assert_counts(parsed, events=3, rejected=3, skipped=4)
    assert parsed.rejected == [
        (2, "dest_ip 'localhost' is not an IP address"),
        (4, "event_type is missing: not an EVE record"),
        (5, "the line is not JSON (Expecting value, column 1)"),
    ]


def test_an_alert_with_an_unknown_severity_is_info():
    record = {
        "timestamp": "2024-05-01T10:00:00.000000+0000",
        "event_type": "alert",
        "src_ip": "192.0.2.1",
        "dest_ip": "198.51.100.2",
        "alert": {"signature_id": 1, "signature": "local rule", "severity": 4},
    }
    assert [e.severity for e in suricata.parse([record]).events] == ["info"]


def test_the_engines_own_eve_fixture_has_no_alerts_and_a_line_cut_mid_write():
    parsed = suricata.parse(
        (support.REPO / "tests/fixtures/engine/suricata_eve/eve.json").read_bytes()
    )
    support.assert_counts(parsed, events=0, rejected=1, skipped=5)
    assert parsed.rejected == [
        (6, "the line is not JSON (Unterminated string starting at, column 14)")
    ]


def test_fast_log_text_is_refused_with_what_was_expected():
    with pytest.raises(PayloadError, match=r"expected Suricata EVE JSON .*starts with '07/"):
        suricata.parse(b"07/11/2022-05:52:18.378379  [**] [1:2024468:3] ET WEB ...\n")
