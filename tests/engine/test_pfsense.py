"""pfsense reader: own fixture (always), real sample from ../shared/samples (when present)."""

from citysoc.engine.readers import READERS, detect
from tests.engine import support

NAME = "pfsense"


def test_it_reads_records_and_counts_rejects(engine_fixture):
    rows, stats = support.read(NAME, engine_fixture("pfsense/own.log"))
    assert stats.records == 4
    assert stats.rejected == 2
    assert stats.records == len(rows) + stats.rejected
    assert all(line > 0 and reason for _, line, reason, _ in stats.rejects)


def test_it_is_detected(engine_fixture):
    assert detect(engine_fixture("pfsense/own.log")) is READERS[NAME]


def test_matching_agrees_between_paths(engine_fixture):
    pairs = support.assert_paths_agree(NAME, engine_fixture("pfsense/own.log"))
    assert pairs == [(1, "198.51.100.0/24"), (2, "2001:db8::5")]


def test_ipv4_and_ipv6_field_positions(engine_fixture):
    rows, _ = support.read(NAME, engine_fixture("pfsense/pfsense-rfc5424-filterlog.log"))
    assert (rows[0]["src"], rows[0]["dst"]) == ("192.168.5.6", "192.168.1.100")
    assert rows[2]["src"] == "fdfd:ace:ace:10:d8:cdbf:f6f8:6d69"
    assert rows[0]["time"] == "2025-11-06T11:32:42.868451+00:00"


def test_copied_crowdsec_sample_bsd_and_rfc5424_framing(engine_fixture):
    rows, stats = support.read(NAME, engine_fixture("pfsense/pf-logs.log"))
    assert (stats.records, stats.rejected) == (9, 0)
    assert rows[3]["src"] == "212.102.36.22"
