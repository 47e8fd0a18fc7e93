import pytest

from citysoc.intel.formats import spamhaus_drop
from tests.intel.formats import support


def test_it_reads_networks_with_their_sbl_ids():
    parsed = spamhaus_drop.parse(support.fixture("spamhaus_drop/drop.txt"), "drop.txt")
    support.assert_counts(parsed, entries=3, rejected=1, skipped=5)
    assert [(e.row, e.value, e.note) for e in parsed.entries] == [
        (5, "192.0.2.0/24", "SBL000001"),
        (6, "198.51.100.0/25", "SBL000002"),
        (7, "2001:db8:bad::/48", "SBL000003"),
    ]
    assert parsed.meta["last_modified"] == "Wed, 31 Jan 2024 10:00:00 GMT"
    assert parsed.meta["title"].startswith("Spamhaus DROP List 2024/01/31")


def test_a_damaged_line_is_rejected_with_its_line_number():
    [bad] = spamhaus_drop.parse(support.fixture("spamhaus_drop/drop.txt")).rejected
    assert bad.row == 8
    assert bad.value == "203.0.113.0/24 extra ; SBL000004"


@pytest.mark.samples
def test_the_real_drop_dropv6_and_edrop_lists():
    counts = {
        "spamhaus/wsock-trace/drop.txt": 1385,
        "spamhaus/wsock-trace/dropv6.txt": 78,
        "spamhaus/wsock-trace/edrop.txt": 289,
        "spamhaus/wsock-trace-2024/edrop.txt": 0,  # merged into DROP: comments only
    }
    for name, entries in counts.items():
        parsed = spamhaus_drop.parse(support.shared(name).read_bytes(), name)
        assert (len(parsed.entries), len(parsed.rejected)) == (entries, 0), name
    drop = spamhaus_drop.parse(support.shared("spamhaus/wsock-trace/drop.txt").read_bytes())
    assert (drop.entries[0].value, drop.entries[0].note) == ("1.10.16.0/20", "SBL256894")
    assert drop.meta["last_modified"] == "Fri, 17 Jan 2025 17:03:47 GMT"
