from datetime import datetime, timedelta, timezone

import pytest
import time_machine

from citysoc.alerts.sources import iptables
from citysoc.alerts.sources.base import PayloadError
from tests.alerts.sources import support

UFW = "iptables/ufw.log"
ICT = timezone(timedelta(hours=7))


def test_ufw_blocks_are_low_allowed_lines_skipped_and_audit_lines_info():
    parsed = iptables.parse(support.fixture(UFW))
    support.assert_counts(parsed, events=7, rejected=2, skipped=1)
    assert [(e.dedup_key, e.severity) for e in parsed.events] == [
        ("[UFW BLOCK]|203.0.113.7|tcp/22", "low"),
        ("[UFW BLOCK]|203.0.113.7|tcp/22", "low"),
        ("[UFW BLOCK]|203.0.113.7|tcp/3389", "low"),
        ("[UFW AUDIT]|192.0.2.99|tcp/443", "info"),
        ("[UFW BLOCK]|2001:db8::7|icmpv6/type 128", "low"),
        ("nft-drop|198.51.100.9|udp/161", "low"),
        ("[UFW LIMIT BLOCK]|203.0.113.8|tcp/22", "low"),
    ]


def test_bad_lines_are_rejected_by_line_number_with_the_field_named():
    assert iptables.parse(support.fixture(UFW)).rejected == [
        (8, "SRC '999.1.1.1' is not an IP address"),
        (9, "not a netfilter log line (no SRC= and DST=)"),
    ]


@time_machine.travel(datetime(2026, 12, 1, 9, 0, tzinfo=ICT), tick=False)
def test_a_block_carries_addresses_ports_interface_and_the_syslog_host_and_time():
    first = iptables.parse(support.fixture(UFW)).events[0]
    assert first.summary == "[UFW BLOCK]: 203.0.113.7 → 192.0.2.20 tcp/22 (in eth0)"
    assert (first.src_ip, first.dst_ip, first.host) == ("203.0.113.7", "192.0.2.20", "gw-ward-b")
    assert (first.details["spt"], first.details["dpt"], first.details["in"]) == (
        "51515",
        "22",
        "eth0",
    )
    assert first.occurred_at == datetime(2026, 11, 29, 2, 0, 1, tzinfo=ICT)


@time_machine.travel(datetime(2027, 1, 2, 9, 0, tzinfo=ICT), tick=False)
def test_a_december_line_read_in_january_belongs_to_last_year():
    first = iptables.parse(support.fixture(UFW)).events[0]
    assert first.occurred_at == datetime(2026, 11, 29, 2, 0, 1, tzinfo=ICT)


def test_an_rfc5424_header_gives_its_own_time_with_zone():
    icmp = iptables.parse(support.fixture(UFW)).events[4]
    assert icmp.occurred_at == datetime(2026, 11, 29, 2, 0, 5, 123000, tzinfo=ICT)
    assert (icmp.src_ip, icmp.host) == ("2001:db8::7", "gw-ward-b")


def test_the_real_sample_reads_three_lines_and_rejects_the_malformed_one():
    parsed = iptables.parse(support.fixture("iptables/iptables-logs.log"))
    support.assert_counts(parsed, events=3, rejected=1, skipped=0)
    assert parsed.rejected == [(3, "unexpected field XX= before the netfilter fields")]
    assert [(e.dedup_key, e.severity) for e in parsed.events] == [
        ("-|195.54.160.107|tcp/8123", "info"),  # no log prefix: a plain LOG rule
        ("-|195.54.160.107|tcp/8123", "info"),
        ("IPTABLES-DROP|127.0.0.1|udp/53", "low"),
    ]


def test_proxmox_lines_name_chain_and_action_and_skip_accepts():
    parsed = iptables.parse(support.fixture("iptables/proxmox-iptables.log"))
    support.assert_counts(parsed, events=8, rejected=0, skipped=2)
    first, *_, group, last = parsed.events
    assert (first.dedup_key, first.severity) == (
        "PVEFW-HOST-IN policy DROP|10.3.94.11|udp/3784",
        "low",
    )
    assert first.occurred_at == datetime(
        2022, 6, 20, 13, 9, 14, tzinfo=timezone(timedelta(hours=2))
    )
    assert (group.dedup_key, group.severity) == ("GROUP-security1-IN|10.3.95.34|tcp/22", "info")
    assert last.summary == "tap101i0-IN DROP: 10.3.95.34 → 10.3.95.200 tcp/22 (in fwbr101i0)"
    assert parsed.events[3].src_ip == "2a0a:1580::a"


@pytest.mark.samples
def test_the_shared_samples_are_the_same_files():
    for name in ("iptables-logs.log", "proxmox-iptables.log"):
        path = support.shared(f"network-logs/iptables/{name}")
        assert path.read_bytes() == support.fixture(f"iptables/{name}")


def test_the_engines_crlf_fixture_reads_the_same_lines_the_engine_reads():
    path = support.REPO / "tests" / "fixtures" / "engine" / "iptables" / "crlf.log"
    parsed = iptables.parse(path.read_bytes())
    support.assert_counts(parsed, events=2, rejected=1, skipped=1)
    assert [e.dst_ip for e in parsed.events] == ["10.0.0.5", "2001:db8::1"]  # normal form


def test_an_empty_body_is_refused_with_what_was_expected():
    with pytest.raises(PayloadError, match="expected netfilter kernel log lines"):
        iptables.parse(b" \n")
