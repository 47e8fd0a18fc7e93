"""Zeek JSON reader."""

import pytest

from tests.engine import support


def test_it_reads_plain_and_gzip_alike(engine_fixture):
    plain = support.read("zeek_json", engine_fixture("zeek_json/conn_ssl.log"))
    gz = support.read("zeek_json", engine_fixture("zeek_json/conn_ssl.log.gz"))
    assert plain[0] == gz[0]
    assert plain[0][1]["domain"] == "cdn.evil.example"
    assert plain[0][1]["time"] == "1714557601.5"  # numeric ts kept as text


def test_broken_lines_are_rejected_with_line_numbers(engine_fixture):
    _, stats = support.read("zeek_json", engine_fixture("zeek_json/conn_ssl.log"))
    assert [(line, reason) for _, line, reason, _ in stats.rejects] == [
        (3, "truncated JSON object (no closing brace)"),
        (4, "no source or destination address"),
        (5, "not a JSON object"),
    ]
    assert stats.records == 5


def test_matching_agrees_between_paths(engine_fixture):
    pairs = support.assert_paths_agree("zeek_json", engine_fixture("zeek_json/conn_ssl.log.gz"))
    assert pairs == [(1, "198.51.100.0/24"), (2, "evil.example")]


@pytest.mark.samples
def test_real_samples(shared_sample):
    for name, count in (("rita-json/conn.log", 29), ("zeek-json/ssh.json.gz", 22)):
        _, stats = support.read("zeek_json", shared_sample(f"network-logs/zeek/{name}"))
        assert (stats.records, stats.rejected) == (count, 0)
