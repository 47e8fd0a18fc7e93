"""iptables reader: own fixture (always), real sample from ../shared/samples (when present)."""

from citysoc.engine.readers import READERS, detect
from tests.engine import support

NAME = "iptables"


def test_it_reads_records_and_counts_rejects(engine_fixture):
    rows, stats = support.read(NAME, engine_fixture("iptables/crlf.log"))
    assert stats.records == 4
    assert stats.rejected == 1
    assert stats.records == len(rows) + stats.rejected
    assert all(line > 0 and reason for _, line, reason, _ in stats.rejects)


def test_it_is_detected(engine_fixture):
    assert detect(engine_fixture("iptables/crlf.log")) is READERS[NAME]


def test_matching_agrees_between_paths(engine_fixture):
    pairs = support.assert_paths_agree(NAME, engine_fixture("iptables/crlf.log"))
    assert pairs == [(1, "198.51.100.0/24"), (2, "203.0.113.9"), (4, "2001:db8::5")]


def test_crlf_is_stripped_and_syslog_time_read(engine_fixture):
    rows, _ = support.read(NAME, engine_fixture("iptables/crlf.log"))
    assert rows[0]["time"] == "May  1 10:00:00"
    assert rows[1]["dst"] == "203.0.113.9"


def test_copied_crowdsec_samples(engine_fixture):
    rows, stats = support.read(NAME, engine_fixture("../alerts/iptables/proxmox-iptables.log"))
    assert (stats.records, stats.rejected) == (10, 0)
    assert rows[0]["time"] == "20/Jun/2022:13:09:14 +0200"
    _, stats = support.read(NAME, engine_fixture("../alerts/iptables/iptables-logs.log"))
    assert stats.records == 4


def test_garbage_address_next_to_an_unlisted_one_is_rejected(tmp_path):
    """The prefilter must not count such a line as read: records = kept + rejected."""
    path = tmp_path / "fw.log"
    path.write_text(
        "May  1 10:00:00 gw kernel: [1.0] DROP SRC=10.0.0.5 DST=8.8.8.8 LEN=40\n"
        "May  1 10:00:01 gw kernel: [1.1] DROP SRC=999.1.1.1 DST=8.8.8.8 LEN=40\n"
        "May  1 10:00:02 gw kernel: [1.2] DROP SRC=10.0.0.7 DST=not-an-ip LEN=40\n"
    )
    for prefilter in (True, False):
        pairs, stats = support.hits(NAME, path, support.indicator_set(), prefilter)
        assert pairs == []
        assert (stats.records, stats.rejected) == (3, 2)
        assert [line for _, line, _, _ in stats.rejects] == [2, 3]
        assert "not an IP address" in stats.rejects[0][2]
