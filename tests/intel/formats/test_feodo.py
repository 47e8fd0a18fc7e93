from datetime import UTC, datetime

import pytest

from citysoc.intel import formats
from citysoc.intel.formats import feodo
from tests.intel.formats import support


def test_each_row_is_a_c2_server_with_family_port_and_times():
    parsed = feodo.parse(support.fixture("feodo/ipblocklist.csv"), "ipblocklist.csv")
    support.assert_counts(parsed, entries=3, rejected=1, skipped=10)
    first = parsed.entries[0]
    assert (first.row, first.value, first.c2, first.c2_port) == (
        10,
        "192.0.2.73",
        "192.0.2.73",
        1194,
    )
    assert (first.family, first.note) == ("pikabot", "online")
    assert first.first_seen == datetime(2023, 5, 23, 17, 51, 44, tzinfo=UTC)
    assert first.last_seen == datetime(2024, 4, 1, tzinfo=UTC)
    assert parsed.entries[2].value == "2001:db8::c2"
    assert parsed.meta == {"last_updated": "2024-04-04 07:03:03 UTC", "declared_entries": 4}


def test_a_short_row_is_rejected_with_the_expected_columns():
    [bad] = feodo.parse(support.fixture("feodo/ipblocklist.csv")).rejected
    assert bad.row == 12
    assert "expected the 6 Feodo columns" in bad.reason


@pytest.mark.samples
def test_the_real_list_has_the_28_entries_its_trailer_announces():
    path = support.shared("abusech-feodo/ipblocklist.csv")
    parsed = feodo.parse(path.read_bytes(), path.name)
    support.assert_counts(parsed, entries=28, rejected=0, skipped=10)
    assert parsed.meta["declared_entries"] == 28
    assert parsed.entries[0].value == "192.9.135.73"
    assert {e.family for e in parsed.entries} >= {"pikabot"}


def test_the_plain_text_feodo_blocklist_is_read_as_a_plain_list():
    data = b"# abuse.ch Feodo Tracker Botnet C2 IP Blocklist #\n192.0.2.73\n198.51.100.155\n"
    assert formats.detect(data, "ipblocklist.txt") == "plain"
    assert [e.value for e in formats.parse(data, "ipblocklist.txt").entries] == [
        "192.0.2.73",
        "198.51.100.155",
    ]
