from datetime import UTC, datetime

import pytest

from citysoc.intel.formats import misp
from tests.intel.formats import support


def test_it_reads_address_domain_url_and_hash_attributes():
    parsed = misp.parse(
        support.fixture("misp/feed/00000000-0000-4000-8000-00000000e001.json"),
        "00000000-0000-4000-8000-00000000e001.json",
    )
    support.assert_counts(parsed, entries=6, rejected=2, skipped=3)
    assert [(e.row, e.value, e.kind, e.port) for e in parsed.entries] == [
        (1, "192.0.2.80", "", None),
        (2, "198.51.100.81", "", 8443),
        (3, "c2.example.net", "", None),
        (3, "203.0.113.82", "", None),
        (5, "http://bad.example/bins/x86", "", None),
        (8, "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", "sha256", None),
    ]


def test_family_comes_from_the_nearest_malware_galaxy():
    entries = misp.parse(
        support.fixture("misp/feed/00000000-0000-4000-8000-00000000e001.json")
    ).entries
    assert entries[0].family == "mirai"  # event tag misp-galaxy:malpedia="Mirai"
    assert entries[-1].family == "gafgyt"  # the attribute's own galaxy wins


def test_notes_times_and_skipped_types():
    parsed = misp.parse(support.fixture("misp/feed/00000000-0000-4000-8000-00000000e001.json"))
    first, url, file_hash = parsed.entries[0], parsed.entries[4], parsed.entries[5]
    assert first.note == "C2"
    assert first.first_seen == datetime(2024, 1, 20, 8, tzinfo=UTC)
    assert first.last_seen == datetime(2024, 1, 30, 8, tzinfo=UTC)
    assert url.note == "to_ids=false"
    assert url.first_seen == datetime(2024, 1, 31, 10, tzinfo=UTC)  # attribute timestamp
    assert file_hash.note == "file x86.bin"
    assert parsed.meta["skipped_types"] == {"link": 1, "deleted": 1, "text": 1}
    assert parsed.meta["info"] == "Own test event: botnet C2 servers"


def test_empty_and_malformed_attributes_are_rejected():
    parsed = misp.parse(support.fixture("misp/feed/00000000-0000-4000-8000-00000000e001.json"))
    assert [(r.row, r.reason) for r in parsed.rejected] == [
        (6, "the ip-src attribute has no value"),
        (10, "the domain|ip attribute should hold two values separated by '|'"),
    ]


def test_the_circl_osint_event_gives_its_three_hashes():
    parsed = misp.parse(support.fixture("misp/57c4445b-c548-4654-af0b-4be3950d210f.json"))
    support.assert_counts(parsed, entries=3, rejected=0, skipped=6)
    assert [e.kind for e in parsed.entries] == ["md5", "sha1", "sha256"]
    assert parsed.entries[0].value == "0749bae92ca336a02c83d126e04ec628"


def test_a_feed_folder_reads_every_listed_event_and_reports_missing_files():
    parsed = misp.parse_feed(support.FIXTURES / "misp" / "feed")
    assert (len(parsed.entries), len(parsed.rejected), parsed.rows) == (6, 3, 9)
    missing = parsed.rejected[-1]
    assert missing.row == 2
    assert "00000000-0000-4000-8000-00000000e002.json is not in the feed" in missing.reason
    assert parsed.rejected[0].reason.startswith("00000000-0000-4000-8000-00000000e001.json: ")


def test_a_manifest_given_as_an_event_is_explained():
    with pytest.raises(ValueError, match="feed manifest.json"):
        misp.parse(support.fixture("misp/feed/manifest.json"), "manifest.json")


@pytest.mark.samples
def test_the_real_exported_event_with_objects_and_galaxies():
    path = support.shared("misp/existing_event.json")
    parsed = misp.parse(path.read_bytes(), path.name)
    support.assert_counts(parsed, entries=68, rejected=0, skipped=54)
    assert parsed.meta["skipped_types"] == {"link": 1, "text": 38, "filename": 15}
    assert (parsed.entries[0].value, parsed.entries[0].family) == ("movieultimate.com", "jhuhugit")
    ips = [e.value for e in parsed.entries if support.is_ip(e.value)]
    assert len(ips) == 12


@pytest.mark.samples
def test_the_real_feed_from_the_misp_tests():
    parsed = misp.parse_feed(support.shared("misp/feed"))
    assert (parsed.rows, parsed.skipped) == (0, 1)  # one event holding one link
    assert parsed.meta["events"][0]["info"] == "OSINT - Hunting for Malware with Machine Learning"
