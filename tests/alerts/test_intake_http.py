"""POST /api/alerts/intake/<kind>/: real samples of each tool, posted with a source's token."""

from __future__ import annotations

import gzip
import json

import pytest

from citysoc.alerts import api
from citysoc.alerts.models import Alert, AlertEvent, AlertSource
from citysoc.alerts.sources import parse
from tests.alerts.sources import support

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def make_source(unit, kind: str, **extra) -> tuple[AlertSource, str]:
    source = AlertSource(unit=unit, kind=kind, name=f"{kind} of {unit.code}", **extra)
    token = source.new_token()
    source.save()
    return source, token


def post(client, kind: str, body: bytes, token: str | None, content_type="application/json"):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(f"/api/alerts/intake/{kind}/", body, content_type=content_type, **headers)


SAMPLES = [
    ("generic", "generic/batch.json"),
    ("wazuh", "wazuh/alerts.json"),
    ("suricata", "suricata/suricata-logs-evelog.log"),
    ("zeek", "zeek/notice.log"),
    ("zeek", "zeek/notice.json"),
    ("alertmanager", "alertmanager/firing.json"),
]


@pytest.mark.parametrize("kind,name", SAMPLES)
def test_each_tools_sample_becomes_the_units_alerts(client, unit_a, kind, name):
    source, token = make_source(unit_a, kind)
    body = support.fixture(name)
    parsed = parse(kind, body)
    response = post(client, kind, body, token)
    assert response.status_code == 202, response.content
    answer = response.json()
    assert answer["created"] + answer["repeated"] + answer["acknowledged"] + answer[
        "resolved"
    ] + len(answer["ignored"]) == len(parsed.events)
    assert len(answer["rejected"]) == len(parsed.rejected)
    assert answer["skipped"] == parsed.skipped
    # Records in = events + rejected + skipped.
    assert len(parsed.events) + len(answer["rejected"]) + answer["skipped"] == parsed.records
    alerts = Alert.objects.filter(source=source)
    assert set(alerts.values_list("unit_id", flat=True)) == {unit_a.pk}
    triggers = [e for e in parsed.events if e.action == "trigger"]
    assert {a.dedup_key for a in alerts} == {e.dedup_key for e in triggers}
    assert sum(a.count for a in alerts) == len(triggers)
    assert AlertEvent.objects.filter(alert__source=source).count() == len(answer["alert_ids"])
    source.refresh_from_db()
    assert source.last_event_at is not None


def test_a_generic_batch_answers_each_rejected_record_by_index(client, unit_a):
    _source, token = make_source(unit_a, "generic")
    answer = post(client, "generic", support.fixture("generic/batch.json"), token).json()
    assert (answer["created"], answer["resolved"]) == (2, 1)
    assert [r["index"] for r in answer["rejected"]] == [3, 4, 5]
    assert "severity" in answer["rejected"][0]["reason"]
    assert "severty" in answer["rejected"][1]["reason"]
    assert Alert.objects.get(dedup_key="web01-disk-var").status == "resolved"


def test_the_suricata_eve_log_skips_flows_and_rejects_by_line(client, unit_a):
    _source, token = make_source(unit_a, "suricata")
    lines = support.fixture("suricata/suricata-logs-evelog.log").decode().splitlines()
    lines.insert(2, "garbage")
    answer = post(client, "suricata", "\n".join(lines).encode(), token, "text/plain").json()
    assert answer["skipped"] == 4
    assert answer["rejected"] == [{"line": 3, "reason": answer["rejected"][0]["reason"]}]
    assert answer["created"] + answer["repeated"] == 4


def test_a_repeated_post_counts_on_the_same_alerts(client, unit_a):
    source, token = make_source(unit_a, "wazuh")
    body = support.fixture("wazuh/alerts.json")
    first = post(client, "wazuh", body, token).json()
    second = post(client, "wazuh", body, token).json()
    assert second["created"] == 0
    assert second["repeated"] == first["created"] + first["repeated"]
    assert sorted(second["alert_ids"]) == sorted(first["alert_ids"])
    alerts = Alert.objects.filter(source=source)
    assert alerts.count() == first["created"]
    assert sum(a.count for a in alerts) == 2 * len(first["alert_ids"])
    assert AlertEvent.objects.filter(alert__source=source).count() == 2 * len(first["alert_ids"])


def test_alertmanager_resolved_closes_the_firing_alert(client, unit_a):
    _source, token = make_source(unit_a, "alertmanager")
    post(client, "alertmanager", support.fixture("alertmanager/firing.json"), token)
    answer = post(client, "alertmanager", support.fixture("alertmanager/resolved.json"), token)
    assert answer.json()["resolved"] >= 1
    assert Alert.objects.filter(status="resolved").exists()


def test_gzip_bodies_are_read_as_is(client, unit_a):
    _source, token = make_source(unit_a, "zeek")
    body = gzip.compress(support.fixture("zeek/notice.log"))
    answer = post(client, "zeek", body, token, "application/gzip")
    assert answer.status_code == 202
    assert answer.json()["created"] >= 1


# --- the real shared samples -------------------------------------------------------------


@pytest.mark.samples
def test_the_real_wrccdc_zeek_notice_log(client, unit_a):
    data = support.shared("network-logs/zeek/zeek-default/notice.log.gz").read_bytes()
    source, token = make_source(unit_a, "zeek")
    answer = post(client, "zeek", data, token, "application/gzip").json()
    assert (answer["created"], answer["repeated"], answer["rejected"]) == (194, 13, [])
    assert Alert.objects.filter(source=source).count() == 194
    assert AlertEvent.objects.filter(alert__source=source).count() == 207


@pytest.mark.samples
def test_the_real_suricata_eve_log(client, unit_a):
    data = support.shared("network-logs/suricata/suricata-logs-evelog.log").read_bytes()
    _source, token = make_source(unit_a, "suricata")
    answer = post(client, "suricata", data, token, "text/plain").json()
    assert (answer["created"] + answer["repeated"], answer["skipped"]) == (4, 4)


@pytest.mark.samples
def test_the_real_wazuh_finding_without_a_level_is_rejected_with_the_reason(client, unit_a):
    data = support.shared("endpoint/wazuh/v4-7_one_finding.json").read_bytes()
    _source, token = make_source(unit_a, "wazuh")
    answer = post(client, "wazuh", data, token).json()
    assert answer["created"] == 0
    assert [r["reason"] for r in answer["rejected"]] == ["rule.level is missing"]


# --- tokens and units --------------------------------------------------------------------


def test_a_token_posts_only_for_its_own_unit(client, unit_a, unit_b):
    _source, token_a = make_source(unit_a, "generic")
    body = json.dumps(
        [
            {"severity": "high", "summary": "fine", "unit": "ward-a"},
            {"severity": "high", "summary": "taken over", "unit": "ward-b"},
        ]
    ).encode()
    response = post(client, "generic", body, token_a)
    assert response.status_code == 403
    message = response.json()["error"]
    assert "ward-b" in message and "ward-a" in message and "Record 1" in message
    assert not Alert.objects.exists()
    # Naming its own unit is allowed (the field is dropped); no unit at all is the usual case.
    own = json.dumps({"severity": "high", "summary": "fine", "unit": "ward-a"}).encode()
    assert post(client, "generic", own, token_a).status_code == 202
    assert list(Alert.objects.values_list("unit__code", flat=True)) == ["ward-a"]


def test_every_alert_of_a_token_is_its_units(client, unit_a, unit_b):
    make_source(unit_b, "wazuh")
    _source, token_a = make_source(unit_a, "wazuh")
    post(client, "wazuh", support.fixture("wazuh/alerts.json"), token_a)
    assert set(Alert.objects.values_list("unit__code", flat=True)) == {"ward-a"}


def test_a_token_of_another_kind_is_refused(client, unit_a):
    _source, token = make_source(unit_a, "wazuh")
    response = post(client, "suricata", support.fixture("suricata/suricata-logs-evelog.log"), token)
    assert response.status_code == 403
    assert "/api/alerts/intake/wazuh/" in response.json()["error"]
    assert not Alert.objects.exists()


def test_missing_unknown_and_disabled_tokens(client, unit_a):
    body = b'{"severity": "high", "summary": "x"}'
    missing = post(client, "generic", body, None)
    assert missing.status_code == 401 and "Bearer" in missing["WWW-Authenticate"]
    assert post(client, "generic", body, "cs_al_not-a-token").status_code == 401
    _source, token = make_source(unit_a, "generic", enabled=False)
    disabled = post(client, "generic", body, token)
    assert disabled.status_code == 403 and "disabled" in disabled.json()["error"]
    assert not Alert.objects.exists()


def test_bad_json_is_400_naming_what_was_expected(client, unit_a):
    _source, token = make_source(unit_a, "generic")
    response = post(client, "generic", b'{"severity": "high", "summary": ', token)
    assert response.status_code == 400
    assert "expected a citysoc alert JSON object" in response.json()["error"]
    assert "not valid JSON" in response.json()["error"]
    _source, am_token = make_source(unit_a, "alertmanager")
    wrong = post(client, "alertmanager", b'{"alerts": "none"}', am_token)
    assert wrong.status_code == 400 and "Alertmanager" in wrong.json()["error"]


def test_a_body_over_the_limit_is_413(client, unit_a, monkeypatch):
    monkeypatch.setattr(api, "MAX_BODY_BYTES", 1000)
    _source, token = make_source(unit_a, "suricata")
    response = post(client, "suricata", b"{}\n" * 400, token, "text/plain")
    assert response.status_code == 413
    assert not Alert.objects.exists()


def test_get_and_unknown_kinds_are_refused_harmlessly(client, unit_a):
    assert client.get("/api/alerts/intake/generic/").status_code == 405
    _source, token = make_source(unit_a, "generic")
    response = post(client, "nagios", b"{}", token)
    assert response.status_code == 404 and "generic" in response.json()["error"]


def test_the_intake_needs_no_session_or_csrf(unit_a):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    _source, token = make_source(unit_a, "generic")
    body = b'{"severity": "low", "summary": "csrf-free"}'
    assert post(strict, "generic", body, token).status_code == 202
