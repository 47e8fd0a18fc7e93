"""Emerging Threats compromised-ips.txt, copied as is (BSD-3-Clause, see fixtures/SOURCES.md)."""

from citysoc.intel import formats
from citysoc.intel.formats import emerging_threats
from tests.intel.formats import support


def test_it_reads_every_line_of_the_real_list():
    parsed = emerging_threats.parse(
        support.fixture("emerging_threats/compromised-ips.txt"), "compromised-ips.txt"
    )
    support.assert_counts(parsed, entries=356, rejected=0, skipped=0)
    assert (parsed.entries[0].row, parsed.entries[0].value) == (1, "101.108.111.69")
    assert all(support.is_ip(e.value) for e in parsed.entries)
    assert parsed.format == "emerging_threats"


def test_it_is_told_apart_from_a_plain_list_by_its_file_name():
    data = support.fixture("emerging_threats/compromised-ips.txt")
    assert formats.detect(data, "compromised-ips.txt") == "emerging_threats"
    assert formats.detect(data, "my-list.txt") == "plain"
