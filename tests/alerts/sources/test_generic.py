from datetime import UTC, datetime, timedelta, timezone

import pytest

from citysoc.alerts.sources import generic
from citysoc.alerts.sources.base import PayloadError
from tests.alerts.sources import support

VIETNAM = timezone(timedelta(hours=7))


def test_it_reads_the_batch_and_rejects_the_bad_records_by_index():
    parsed = generic.parse(support.fixture("generic/batch.json"))
    support.assert_counts(parsed, events=3, rejected=3)
    disk, backup, recovered = parsed.events
    assert (disk.action, disk.severity, disk.dedup_key, disk.host) == (
        "trigger",
        "high",
        "web01-disk-var",
        "web01.example",
    )
    assert disk.occurred_at == datetime(2026, 11, 29, 8, tzinfo=VIETNAM)
    assert disk.details == {"mount": "/var", "used_percent": 95, "source": "nagios"}
    assert disk.links == ["https://nagios.example/host/web01"]
    assert (recovered.action, recovered.dedup_key) == ("resolve", disk.dedup_key)
    assert [position for position, _ in parsed.rejected] == [3, 4, 5]


def test_action_defaults_to_trigger_and_the_key_is_derived_from_source_and_summary():
    backup = generic.parse(support.fixture("generic/batch.json")).events[1]
    assert backup.action == "trigger"
    assert backup.dedup_key == "cron|Backup job failed on db01.example"
    assert (backup.src_ip, backup.occurred_at) == (
        "192.0.2.20",
        datetime(2026, 11, 29, 1, 15, tzinfo=UTC),
    )
    assert backup.source == "generic"


def test_each_rejection_names_the_field_and_what_is_allowed():
    reasons = [
        reason for _, reason in generic.parse(support.fixture("generic/batch.json")).rejected
    ]
    assert reasons[0].startswith("severity 'urgent' is not one of: critical, high, medium, low")
    assert reasons[1].startswith("unknown field 'severty' (known fields: action, dedup_key")
    assert reasons[2] == "occurred_at '2026-11-29 08:00:00' has no time zone (add Z or +07:00)"


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ({"severity": "low"}, "summary is missing"),
        ({"summary": "s"}, "severity is missing (one of: critical, high, medium, low, info)"),
        ({"summary": "s", "severity": "low", "action": "close"}, "action 'close' is not one of"),
        ({"summary": "s", "severity": "low", "src_ip": "10.0.0"}, "src_ip '10.0.0' is not an IP"),
        ({"summary": "s", "severity": "low", "details": []}, "details must be a JSON object"),
        ({"summary": "s", "severity": "low", "links": ["ftp://x"]}, "links[0] 'ftp://x'"),
        ({"summary": "a\nb", "severity": "low"}, "summary must be one line"),
        (
            {"summary": "s", "severity": "low", "occurred_at": "yesterday"},
            "occurred_at 'yesterday' is not an ISO 8601",
        ),
    ],
)
def test_a_bad_record_is_rejected_with_a_clear_reason(record, reason):
    parsed = generic.parse([{"summary": "fine", "severity": "info"}, record])
    assert len(parsed.events) == 1
    [(position, message)] = parsed.rejected
    assert position == 1
    assert message.startswith(reason)


def test_one_object_is_one_event_and_already_decoded_json_is_accepted():
    parsed = generic.parse({"summary": "Test alert", "severity": "Info", "dedup_key": "t"})
    assert [(e.severity, e.dedup_key) for e in parsed.events] == [("info", "t")]


def test_an_array_entry_that_is_not_an_object_is_rejected():
    parsed = generic.parse(b'[{"summary": "ok", "severity": "low"}, "oops"]')
    assert parsed.rejected == [(1, "expected a JSON object, got a string")]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"not json", "not valid JSON (Expecting value, line 1 column 1)"),
        (b'"text"', "got a JSON str"),
        (b"", "empty body"),
    ],
)
def test_an_unusable_payload_says_what_was_expected(payload, message):
    with pytest.raises(PayloadError, match="expected a citysoc alert JSON object") as error:
        generic.parse(payload)
    assert message in str(error.value)
