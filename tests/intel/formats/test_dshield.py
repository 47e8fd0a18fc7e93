import pytest

from citysoc.intel.formats import dshield
from tests.intel.formats import support


def test_it_reads_netblocks_with_name_and_country():
    parsed = dshield.parse(support.fixture("dshield/block.txt"), "block.txt")
    support.assert_counts(parsed, entries=2, rejected=1, skipped=9)
    first = parsed.entries[0]
    assert (first.row, first.value, first.country) == (8, "192.0.2.0/24", "VN")
    assert first.note == "Example Net; 788 attacks"
    assert parsed.meta["updated"] == "Wed Jan 31 10:00:00 2024 UTC"
    assert parsed.rejected[0].row == 10


@pytest.mark.samples
def test_the_real_block_list():
    path = support.shared("dshield/block.txt")
    parsed = dshield.parse(path.read_bytes(), path.name)
    support.assert_counts(parsed, entries=2, rejected=0, skipped=37)
    assert [(e.value, e.country) for e in parsed.entries] == [
        ("43.229.53.0/24", "JP"),
        ("194.63.140.0/24", ""),
    ]
