import gzip
from datetime import UTC, datetime

import pytest

from citysoc.alerts.sources import zeek
from citysoc.alerts.sources.base import PayloadError
from tests.alerts.sources import support


def test_it_reads_every_notice_of_a_tsv_log():
    parsed = zeek.parse(support.fixture("zeek/notice.log"))
    support.assert_counts(parsed, events=4, rejected=0)
    assert [(e.details["note"], e.severity) for e in parsed.events] == [
        ("Scan::Port_Scan", "low"),
        ("SSL::Invalid_Server_Cert", "low"),
        ("SSH::Password_Guessing", "high"),
        ("SSL::Invalid_Server_Cert", "low"),
    ]
    scan = parsed.events[0]
    assert (scan.src_ip, scan.dst_ip, scan.host) == ("203.0.113.45", "192.0.2.10", "")
    assert (
        scan.summary == "203.0.113.45 scanned at least 15 unique ports of host 192.0.2.10 in 0m2s"
    )
    assert scan.occurred_at == datetime(2026, 11, 29, 1, 0, 0, 123456, tzinfo=UTC)


def test_repeats_of_a_notice_share_note_src_dst_and_unset_fields_stay_visible():
    events = zeek.parse(support.fixture("zeek/notice.log")).events
    assert (
        events[1].dedup_key
        == events[3].dedup_key
        == ("SSL::Invalid_Server_Cert|192.0.2.31|198.51.100.7")
    )
    assert events[2].dedup_key == "SSH::Password_Guessing|203.0.113.45|-"
    assert "uid" not in events[0].details and events[1].details["uid"] == "CHhAvVGS1DHFjwGM9"


def test_json_lines_read_the_same_and_accept_iso_times():
    tsv = zeek.parse(support.fixture("zeek/notice.log")).events[1]
    same, intel = zeek.parse(support.fixture("zeek/notice.json")).events
    assert (same.dedup_key, same.occurred_at, same.summary) == (
        tsv.dedup_key,
        tsv.occurred_at,
        tsv.summary,
    )
    assert (intel.severity, intel.occurred_at) == ("high", datetime(2026, 11, 29, 1, 5, tzinfo=UTC))


@pytest.mark.samples
def test_the_real_wrccdc_notice_log_gives_207_invalid_certificate_notices():
    data = support.shared("network-logs/zeek/zeek-default/notice.log.gz").read_bytes()
    parsed = zeek.parse(data)  # gzip is read as is
    support.assert_counts(parsed, events=207, rejected=0)
    assert {e.severity for e in parsed.events} == {"low"}
    assert len({e.dedup_key for e in parsed.events}) == 194
    first = parsed.events[0]
    assert first.dedup_key == "SSL::Invalid_Server_Cert|10.164.94.120|10.47.3.200"
    assert first.occurred_at == datetime(2018, 3, 24, 17, 15, 20, 629574, tzinfo=UTC)
    assert first.summary == (
        "SSL certificate validation failed with (unable to get local issuer certificate)"
    )
    assert first.details["sub"].startswith("unstructuredName=")
    assert zeek.parse(gzip.decompress(data)).events == parsed.events


def test_bad_rows_are_rejected_by_line_number_while_the_rest_parse():
    lines = support.fixture("zeek/notice.log").decode().splitlines()
    lines[9] = lines[9].replace("\t192.0.2.31\t", "\tnot-an-ip\t")
    lines[10] = lines[10].rsplit("\t", 3)[0]
    parsed = zeek.parse("\n".join(lines))
    support.assert_counts(parsed, events=2, rejected=2)
    assert parsed.rejected == [
        (10, "src 'not-an-ip' is not an IP address"),
        (11, "expected 21 tab-separated fields, got 18"),
    ]


def test_a_log_other_than_notice_is_refused():
    body = b"#separator \\x09\n#path\tconn\n#fields\tts\tuid\n1.0\tC1\n"
    with pytest.raises(PayloadError, match="expected a Zeek notice.log, got #path conn"):
        zeek.parse(body)


def test_rows_without_a_fields_header_are_refused():
    with pytest.raises(PayloadError, match="line 1 is data before any #fields header"):
        zeek.parse(b"1764378000.1\tScan::Port_Scan\n")
