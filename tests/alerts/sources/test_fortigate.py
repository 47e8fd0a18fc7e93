from datetime import UTC, datetime, timedelta, timezone

import pytest

from citysoc.alerts.sources import fortigate
from citysoc.alerts.sources.base import PayloadError
from tests.alerts.sources import support

VPN = "fortigate/fortinet-vpn-bf.log"
UTM = "fortigate/utm_events.log"
ICT = timezone(timedelta(hours=7))


def test_the_real_vpn_brute_force_is_nine_events_of_one_alert():
    parsed = fortigate.parse(support.fixture(VPN))
    support.assert_counts(parsed, events=9, rejected=0, skipped=0)
    assert {e.dedup_key for e in parsed.events} == {"event:vpn:1234567890|192.168.0.1|-"}
    # level="alert" is syslog's level 1: critical, as from any other tool
    assert {(e.severity, e.severity_word) for e in parsed.events} == {("critical", "alert")}


def test_a_vpn_failure_carries_the_peer_user_and_the_devices_own_time_zone():
    second = fortigate.parse(support.fixture(VPN)).events[1]
    assert (second.src_ip, second.dst_ip) == ("192.168.0.1", "")
    assert second.summary == "SSL VPN login fail (ssl-login-fail, user sapservicecq1): 192.168.0.1"
    assert second.details["reason"] == "sslvpn_login_no_matching_policy"
    assert second.occurred_at == datetime(2024, 10, 14, 20, 46, 41, tzinfo=UTC)  # tz="-0700"


def test_utm_events_and_denied_traffic_are_alerts_while_allowed_lines_are_skipped():
    parsed = fortigate.parse(support.fixture(UTM))
    support.assert_counts(parsed, events=7, rejected=2, skipped=4)
    assert [(e.dedup_key, e.severity) for e in parsed.events] == [
        ("ips:51006|203.0.113.5|192.0.2.10", "critical"),
        ("ips:51006|203.0.113.5|192.0.2.10", "critical"),
        ("virus:EICAR_TEST_FILE|198.51.100.80|192.0.2.33", "medium"),
        ("webfilter:casino.example|192.0.2.41|198.51.100.99", "medium"),
        ("traffic:deny|198.51.100.66|tcp/3389", "low"),
        ("event:system:0100032002|198.51.100.20|-", "critical"),
        ("anomaly:100663396|203.0.113.9|192.0.2.10", "critical"),
    ]


def test_bad_lines_are_rejected_by_line_number_with_the_field_named():
    parsed = fortigate.parse(support.fixture(UTM))
    assert parsed.rejected == [
        (11, "srcip 'fw-ward-a.example' is not an IP address"),
        (12, "not a FortiGate log line (no type= with logid= or devname=)"),
    ]


def test_an_ips_event_behind_an_rfc5424_header_keeps_signature_device_and_time():
    first = fortigate.parse(support.fixture(UTM)).events[0]
    assert first.summary == (
        "Apache.Log4j.Error.Log.Remote.Code.Execution (dropped): 203.0.113.5 → 192.0.2.10"
    )
    assert first.host == "fw-ward-a"
    assert (first.details["attackid"], first.details["dstport"]) == ("51006", "443")
    assert first.occurred_at == datetime(2026, 11, 29, 2, 10, tzinfo=ICT)


def test_a_blocked_site_names_the_site():
    blocked = fortigate.parse(support.fixture(UTM)).events[3]
    assert blocked.summary.startswith("casino.example: URL belongs to a denied category")


def test_without_tz_the_epoch_eventtime_gives_the_time():
    line = 'date=2024-05-01 time=10:00:00 logid="0100032002" type="event" subtype="system"'
    line += ' level="alert" eventtime=1714532400123456789 msg="Admin login failed"'
    [event] = fortigate.parse(line).events
    assert event.occurred_at == datetime(2024, 5, 1, 3, 0, 0, 123457, tzinfo=UTC)


def test_without_tz_or_eventtime_the_time_is_vietnam_time():
    line = '<189>date=2024-05-01 time=10:00:00 logid="1" type="event" subtype="system"'
    line += ' level="critical" msg="Power supply failure"'
    [event] = fortigate.parse(line).events
    assert event.occurred_at == datetime(2024, 5, 1, 10, tzinfo=ICT)
    assert (event.severity, event.severity_word) == ("critical", "critical")


def test_the_engines_fixture_has_only_allowed_lines():
    path = support.REPO / "tests" / "fixtures" / "engine" / "fortigate" / "traffic_dns.log"
    support.assert_counts(fortigate.parse(path.read_bytes()), events=0, rejected=0, skipped=3)


@pytest.mark.samples
def test_the_elastic_traffic_sample_has_one_denied_session_among_thirteen_lines():
    parsed = fortigate.parse(support.shared("network-logs/fortigate/traffic.log").read_bytes())
    support.assert_counts(parsed, events=1, rejected=0, skipped=12)
    [denied] = parsed.events
    assert (denied.dedup_key, denied.severity) == ("traffic:deny|10.10.10.10|udp/161", "low")
    assert (denied.src_ip, denied.dst_ip, denied.host) == (
        "10.10.10.10",
        "175.16.199.1",
        "testswitch1",
    )


@pytest.mark.samples
def test_the_shared_vpn_sample_is_the_same_file():
    path = support.shared("network-logs/fortigate/fortinet-vpn-bf.log")
    assert path.read_bytes() == support.fixture(VPN)


def test_json_is_refused_line_by_line_not_as_a_whole():
    parsed = fortigate.parse(b'{"type": "utm"}\n')
    assert parsed.rejected == [(1, "not a FortiGate log line (no type= with logid= or devname=)")]


def test_an_empty_body_is_refused_with_what_was_expected():
    with pytest.raises(PayloadError, match="expected FortiGate key=value log lines"):
        fortigate.parse(b"\n\n")
