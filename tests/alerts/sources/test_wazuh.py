import json
from datetime import datetime, timedelta, timezone

import pytest

from citysoc.alerts.sources import wazuh
from citysoc.alerts.sources.base import PayloadError
from tests.alerts.sources import support

VIETNAM = timezone(timedelta(hours=7))


def test_it_reads_every_alert_of_alerts_json_with_its_level_mapped():
    parsed = wazuh.parse(support.fixture("wazuh/alerts.json"))
    support.assert_counts(parsed, events=6, rejected=0)
    assert [(e.details["rule_id"], e.details["rule_level"], e.severity) for e in parsed.events] == [
        ("5710", 5, "low"),
        ("5712", 10, "high"),
        ("5712", 10, "high"),
        ("40112", 12, "critical"),
        ("550", 7, "medium"),
        ("5501", 3, "info"),
    ]


def test_the_repeated_brute_force_alerts_share_one_key():
    events = wazuh.parse(support.fixture("wazuh/alerts.json")).events
    assert events[1].dedup_key == events[2].dedup_key == "5712|web01|203.0.113.45"
    assert len({e.dedup_key for e in events}) == 5


def test_an_alert_carries_agent_attacker_time_and_rule_text():
    alert = wazuh.parse(support.fixture("wazuh/alerts.json")).events[3]
    assert (alert.action, alert.source, alert.host, alert.src_ip) == (
        "trigger",
        "wazuh",
        "web01",
        "203.0.113.45",
    )
    assert alert.summary == "Multiple authentication failures followed by a success."
    assert alert.occurred_at == datetime(2026, 11, 29, 8, 15, 22, 450000, tzinfo=VIETNAM)
    assert alert.details["dstuser"] == "deploy"
    assert alert.details["mitre_ids"] == ["T1110", "T1078"]
    assert alert.details["alert_id"] == "1764378922.8811"


def test_an_alert_without_attacker_ip_keys_on_rule_and_agent():
    file_change = wazuh.parse(support.fixture("wazuh/alerts.json")).events[4]
    assert (file_change.dedup_key, file_change.host, file_change.src_ip) == (
        "550|portal-db|-",
        "portal-db",
        "",
    )


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"rule": {"id": "5712", "description": "d"}}, "rule.level is missing"),
        ({"rule": {"id": "5712", "level": 16, "description": "d"}}, "rule.level 16 is outside"),
        (
            {"rule": {"id": "5712", "level": "high", "description": "d"}},
            "rule.level 'high' is not a number",
        ),
        ({"rule": {"level": 5, "description": "d"}}, "rule.id is missing"),
        ({"rule": {"id": "1", "level": 5}}, "rule.description is missing"),
    ],
)
def test_a_bad_alert_is_rejected_while_the_others_parse(body, reason):
    lines = support.fixture("wazuh/alerts.json").decode().splitlines()
    lines.insert(1, json.dumps(body | {"timestamp": "2026-11-29T08:00:00.000+0700"}))
    parsed = wazuh.parse("\n".join(lines))
    assert len(parsed.events) == 6
    [(line, message)] = parsed.rejected
    assert line == 2
    assert message.startswith(reason)


def test_a_broken_line_is_rejected_by_its_line_number():
    body = support.fixture("wazuh/alerts.json") + b'{"rule": {"level": 5,\n'
    assert wazuh.parse(body).rejected == [
        (7, "the line is not JSON (Expecting property name enclosed in double quotes, column 22)")
    ]


def test_one_alert_object_as_an_integration_posts_it():
    first = json.loads(support.fixture("wazuh/alerts.json").splitlines()[0])
    pretty = json.dumps(first, indent=2)
    assert [e.dedup_key for e in wazuh.parse(pretty).events] == ["5710|web01|203.0.113.45"]
    assert [e.dedup_key for e in wazuh.parse(first).events] == ["5710|web01|203.0.113.45"]


@pytest.mark.samples
def test_the_vulnerability_detector_output_is_not_an_alert_stream():
    path = support.shared("endpoint/wazuh/v4-7_one_finding.json")
    parsed = wazuh.parse(path.read_bytes())
    assert parsed.events == []
    assert [reason for _, reason in parsed.rejected] == ["rule.level is missing"]


def test_a_body_that_is_not_json_says_what_was_expected():
    with pytest.raises(PayloadError, match="expected a Wazuh alert JSON object.*starts with 'rule"):
        wazuh.parse(b"rule.level=10")
