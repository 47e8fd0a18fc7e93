import json
from datetime import UTC, datetime

import pytest

from citysoc.alerts.sources import alertmanager
from citysoc.alerts.sources.base import PayloadError
from tests.alerts.sources import support


def test_each_firing_alert_is_a_trigger_keyed_by_its_fingerprint():
    parsed = alertmanager.parse(support.fixture("alertmanager/firing.json"))
    support.assert_counts(parsed, events=3, rejected=0)
    web, ipv6, disk = parsed.events
    assert [e.action for e in parsed.events] == ["trigger"] * 3
    assert [e.dedup_key for e in parsed.events] == [
        "5c8a1f4e2b9d7a03",
        "9e01b2c3d4e5f607",
        "0a1b2c3d4e5f6789",
    ]
    assert (web.severity, web.summary, web.host) == (
        "critical",
        "web01.example:9100 is down",
        "web01.example",
    )
    assert web.occurred_at == datetime(2026, 11, 29, 1, 2, 3, 456000, tzinfo=UTC)
    assert web.links[1] == "https://wiki.example/runbooks/host-down"
    assert web.links[0].startswith("http://prometheus.example:9090/graph?")
    assert ipv6.host == "2001:db8::10"


def test_a_warning_without_summary_uses_the_description():
    disk = alertmanager.parse(support.fixture("alertmanager/firing.json")).events[2]
    assert (disk.severity, disk.summary) == ("medium", "Disk /var on db01.example is 91% full.")
    assert disk.details["labels"]["mountpoint"] == "/var"


def test_the_resolve_shares_the_triggers_key_and_carries_the_end_time():
    trigger = alertmanager.parse(support.fixture("alertmanager/firing.json")).events[0]
    [resolve] = alertmanager.parse(support.fixture("alertmanager/resolved.json")).events
    assert (resolve.action, resolve.dedup_key) == ("resolve", trigger.dedup_key)
    assert resolve.occurred_at == datetime(2026, 11, 29, 1, 20, 33, 1000, tzinfo=UTC)


def test_without_fingerprint_the_key_comes_from_the_labels_and_severity_defaults():
    alert = {
        "status": "firing",
        "labels": {"alertname": "QueueStuck", "instance": "mq.example:9419", "job": "rabbit"},
        "annotations": {},
        "startsAt": "2026-11-29T02:00:00Z",
    }
    [event] = alertmanager.parse({"version": "4", "alerts": [alert]}).events
    assert (event.dedup_key, event.severity) == ("QueueStuck|mq.example:9419|rabbit", "medium")
    assert event.summary == "QueueStuck on mq.example:9419"


def test_a_bad_alert_is_rejected_by_index_while_the_others_parse():
    document = json.loads(support.fixture("alertmanager/firing.json"))
    document["alerts"][1]["status"] = "pending"
    del document["alerts"][2]["labels"]["alertname"]
    parsed = alertmanager.parse(json.dumps(document))
    assert len(parsed.events) == 1
    assert parsed.rejected == [
        (1, "status 'pending' is not firing or resolved"),
        (2, "labels.alertname is missing"),
    ]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b'{"receiver": "citysoc"}', "expected an Alertmanager webhook JSON object"),
        (b'[{"status": "firing"}]', "expected an Alertmanager webhook JSON object"),
        (b'{"version": "3", "alerts": []}', "expected webhook payload version \"4\", got '3'"),
        (b"{", "not valid JSON"),
    ],
)
def test_an_unusable_payload_says_what_was_expected(payload, message):
    with pytest.raises(PayloadError, match="expected") as error:
        alertmanager.parse(payload)
    assert message in str(error.value)
