import pytest

from citysoc.intel.formats import spamhaus_drop_json
from tests.intel.formats import support


def test_it_reads_records_and_skips_the_metadata_record():
    parsed = spamhaus_drop_json.parse(support.fixture("spamhaus_drop_json/drop_v4.json"))
    support.assert_counts(parsed, entries=3, rejected=2, skipped=1)
    assert [(e.row, e.value, e.note) for e in parsed.entries] == [
        (1, "192.0.2.0/24", "SBL000001 apnic"),
        (2, "198.51.100.0/25", "SBL000002 ripencc"),
        (5, "203.0.113.128/25", "SBL000005 apnic"),
    ]
    assert parsed.meta["declared_records"] == 4


def test_broken_records_are_rejected_with_reasons():
    parsed = spamhaus_drop_json.parse(support.fixture("spamhaus_drop_json/drop_v4.json"))
    assert [(r.row, r.reason) for r in parsed.rejected] == [
        (3, 'the record has no "cidr" value'),
        (4, "the line is not a JSON object"),
    ]


@pytest.mark.samples
def test_the_real_feed_has_the_1406_records_its_metadata_announces():
    path = support.shared("spamhaus/drop_v4-json/drop_v4.json")
    parsed = spamhaus_drop_json.parse(path.read_bytes(), path.name)
    support.assert_counts(parsed, entries=1406, rejected=0, skipped=1)
    assert parsed.meta["declared_records"] == 1406
    assert (parsed.entries[-1].row, parsed.entries[-1].value) == (1406, "223.254.0.0/16")
