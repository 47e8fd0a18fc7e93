from datetime import UTC, datetime

import pytest

from citysoc.intel.formats import stix
from tests.intel.formats import support


def test_or_joined_values_give_one_entry_each_with_the_related_malware():
    parsed = stix.parse(support.fixture("stix/own_bundle.json"), "own_bundle.json")
    support.assert_counts(parsed, entries=7, rejected=3, skipped=3)
    assert [(e.row, e.value, e.family) for e in parsed.entries[:3]] == [
        (2, "192.0.2.66", "mirai"),
        (2, "2001:db8::66", "mirai"),
        (2, "c2.example.net", "mirai"),
    ]
    first = parsed.entries[0]
    assert first.first_seen == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert first.last_seen == datetime(2024, 3, 1, tzinfo=UTC)
    assert first.note == "Mirai C2 hosts"


def test_issubset_cidr_with_family_from_labels():
    entry = stix.parse(support.fixture("stix/own_bundle.json")).entries[3]
    assert (entry.row, entry.value, entry.family) == (4, "198.51.100.0/24", "gafgyt")


def test_urls_and_file_hashes_carry_their_kind():
    entries = stix.parse(support.fixture("stix/own_bundle.json")).entries[4:]
    assert [(e.value, e.kind) for e in entries] == [
        ("http://bad.example/a.sh", ""),
        ("DA39A3EE5E6B4B0D3255BFEF95601890AFD80709", "sha1"),
        ("d41d8cd98f00b204e9800998ecf8427e", "md5"),
    ]


def test_unreadable_patterns_are_rejected_naming_the_pattern():
    parsed = stix.parse(support.fixture("stix/own_bundle.json"))
    assert [r.row for r in parsed.rejected] == [6, 7, 8]
    assert parsed.rejected[0].reason.startswith("the pattern joins different objects with AND")
    assert "FOLLOWEDBY" in parsed.rejected[1].reason
    assert parsed.rejected[2].reason == "pattern_type 'yara' is not read; only STIX patterns are"
    assert parsed.meta["revoked"] == 1


def test_the_oasis_apt1_report():
    parsed = stix.parse(support.fixture("stix/apt1.json"), "apt1.json")
    support.assert_counts(parsed, entries=10, rejected=2, skipped=64)
    htran = parsed.entries[0]
    assert (htran.row, htran.value) == (11, "223.166.0.0/15")
    assert htran.family == "huc packet transmit tool (htran)"
    assert [(e.value, e.kind) for e in parsed.entries if e.row == 18] == [
        ("001dd76872d80801692ff942308c64e6", "md5")
    ]
    assert "x509-certificate:issuer" in parsed.rejected[0].reason


def test_the_oasis_c2_indicators_with_sha256():
    parsed = stix.parse(support.fixture("stix/indicators-for-C2-with-COA.json"))
    assert [(e.row, e.value, e.kind, e.family) for e in parsed.entries] == [
        (3, "10.0.0.0", "", "poison ivy"),
        (
            4,
            "ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c",
            "sha256",
            "poison ivy",
        ),
    ]


@pytest.mark.samples
def test_the_oasis_poison_ivy_report():
    path = support.shared("stix/poisonivy.json")
    parsed = stix.parse(path.read_bytes(), path.name)
    support.assert_counts(parsed, entries=65, rejected=2, skipped=130)
    assert [e.value for e in parsed.entries if e.row == 35][:3] == [
        "www.webserver.dynssl.com",
        "113.10.246.30",
        "219.90.112.203",
    ]


def test_a_file_that_is_not_a_bundle_is_refused():
    with pytest.raises(ValueError, match="not a STIX bundle"):
        stix.parse(b'{"type": "report"}')
