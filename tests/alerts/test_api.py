"""/api/alerts/ and /api/alert-sources/: tenancy, filters, acknowledge/resolve, tokens once."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from citysoc.alerts import intake
from citysoc.alerts.models import Alert, AlertSource, EscalationPolicy, hash_token
from citysoc.alerts.sources.base import Event
from citysoc.core.models import ApiToken

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def token_client(user) -> APIClient:
    _token, raw = ApiToken.issue(user, name="test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def raise_in(unit, key: str, severity="high", summary="") -> Alert:
    source, _ = AlertSource.objects.get_or_create(unit=unit, kind="generic", name="monitor")
    event = Event(
        action="trigger",
        dedup_key=key,
        severity=severity,
        source="generic",
        summary=summary or f"problem {key}",
        details={"k": key},
        occurred_at=None,
        links=["https://monitor.example/" + key],
    )
    result = intake.ingest(source, [event])
    return Alert.objects.get(pk=result.alert_ids[0])


@pytest.fixture
def alerts(unit_a, unit_b):
    return {
        "a1": raise_in(unit_a, "disk", "high"),
        "a2": raise_in(unit_a, "cpu", "low"),
        "b1": raise_in(unit_b, "disk", "critical", summary="ward B secret"),
    }


def test_the_list_shows_only_the_users_units_with_the_documented_fields(officer_a, alerts):
    response = token_client(officer_a).get("/api/alerts/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert {r["id"] for r in rows} == {alerts["a1"].pk, alerts["a2"].pk}
    fields = {
        "id", "unit", "source", "dedup_key", "count", "status", "severity", "urgency",
        "summary", "first_seen", "last_seen", "acknowledged_at", "acknowledged_by",
        "resolved_at", "resolved_by", "incident", "links", "details",
    }  # fmt: skip
    assert fields <= set(rows[0])
    assert rows[0]["unit"] == "ward-a"
    assert "ward B secret" not in response.content.decode()


def test_filters_cannot_reach_another_unit(officer_a, alerts):
    client = token_client(officer_a)
    assert client.get("/api/alerts/?unit=ward-b").json()["results"] == []
    assert client.get(f"/api/alerts/{alerts['b1'].pk}/").status_code == 404
    by_severity = client.get("/api/alerts/?severity=low").json()["results"]
    assert [r["dedup_key"] for r in by_severity] == ["cpu"]
    by_key = client.get("/api/alerts/?dedup_key=disk&status=triggered").json()["results"]
    assert [r["id"] for r in by_key] == [alerts["a1"].pk]
    source = alerts["a1"].source_id
    assert len(client.get(f"/api/alerts/?source={source}").json()["results"]) == 2


def test_acknowledge_and_resolve_record_the_tokens_user(officer_a, alerts):
    client = token_client(officer_a)
    pk = alerts["a1"].pk
    acked = client.post(f"/api/alerts/{pk}/acknowledge/")
    assert acked.status_code == 200
    assert (acked.json()["status"], acked.json()["acknowledged_by"]) == (
        "acknowledged",
        "officer_a",
    )
    resolved = client.post(f"/api/alerts/{pk}/resolve/").json()
    assert (resolved["status"], resolved["resolved_by"]) == ("resolved", "officer_a")
    again = client.post(f"/api/alerts/{pk}/acknowledge/")
    assert again.status_code == 409 and "already resolved" in again.json()["detail"]
    kinds = list(Alert.objects.get(pk=pk).log.values_list("kind", "actor"))
    assert ("acknowledged", "officer_a") in kinds and ("resolved", "officer_a") in kinds


def test_a_viewer_reads_but_cannot_acknowledge_and_another_unit_is_404(viewer_a, officer_b, alerts):
    viewer = token_client(viewer_a)
    assert viewer.get(f"/api/alerts/{alerts['a1'].pk}/").status_code == 200
    refused = viewer.post(f"/api/alerts/{alerts['a1'].pk}/acknowledge/")
    assert refused.status_code == 403 and "ward-a" in refused.json()["detail"]
    other = token_client(officer_b).post(f"/api/alerts/{alerts['a1'].pk}/resolve/")
    assert other.status_code == 404
    assert Alert.objects.get(pk=alerts["a1"].pk).status == "triggered"


def test_creating_a_source_shows_its_token_once_and_it_posts(officer_a, client):
    api = token_client(officer_a)
    response = api.post(
        "/api/alert-sources/",
        {"unit": "ward-a", "kind": "suricata", "name": "IDS", "expected_every_minutes": 30},
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    token = data["token"]
    assert data["intake_url"].endswith("/api/alerts/intake/suricata/")
    assert data["expected_every_minutes"] == 30
    source = AlertSource.objects.get(pk=data["id"])
    assert source.token_hash == hash_token(token) and token not in source.token_hash
    # Never shown again: not in the list, not in the detail.
    for url in ("/api/alert-sources/", f"/api/alert-sources/{source.pk}/"):
        assert token not in api.get(url).content.decode()
    eve = (
        b'{"timestamp":"2026-11-29T01:00:00+0000","event_type":"alert","src_ip":"192.0.2.5",'
        b'"dest_ip":"198.51.100.9","alert":{"signature_id":1,"signature":"test","severity":1}}'
    )
    posted = client.post(
        "/api/alerts/intake/suricata/",
        eve,
        content_type="text/plain",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert posted.status_code == 202 and posted.json()["created"] == 1


def test_sources_of_another_unit_are_neither_made_nor_seen(officer_a, officer_b, viewer_a):
    api = token_client(officer_a)
    refused = api.post(
        "/api/alert-sources/", {"unit": "ward-b", "kind": "wazuh", "name": "W"}, format="json"
    )
    assert refused.status_code == 403 and "ward-b" in refused.json()["detail"]
    made = api.post("/api/alert-sources/", {"unit": "ward-a", "kind": "wazuh", "name": "W"})
    pk = made.json()["id"]
    assert token_client(officer_b).get(f"/api/alert-sources/{pk}/").status_code == 404
    assert token_client(officer_b).get("/api/alert-sources/").json()["results"] == []
    reader = token_client(viewer_a)
    assert reader.get(f"/api/alert-sources/{pk}/").status_code == 200
    assert reader.post("/api/alert-sources/", {"unit": "ward-a", "kind": "zeek"}).status_code == 403
    assert reader.post(f"/api/alert-sources/{pk}/rotate/").status_code == 403


def test_citysocs_own_kinds_and_other_units_policies_are_refused(officer_a, unit_b):
    api = token_client(officer_a)
    own = api.post("/api/alert-sources/", {"unit": "ward-a", "kind": "system", "name": "x"})
    assert own.status_code == 400 and "citysoc's own" in own.json()["kind"][0]
    policy_b = EscalationPolicy.objects.create(unit=unit_b, name="B night", is_default=True)
    wrong = api.post(
        "/api/alert-sources/",
        {"unit": "ward-a", "kind": "wazuh", "name": "x", "escalation_policy": policy_b.pk},
    )
    assert wrong.status_code == 400 and "escalation_policy" in wrong.json()


def intake_post(client, token: str) -> int:
    body = b'{"severity": "low", "summary": "hello"}'
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    return client.post("/api/alerts/intake/generic/", body, "application/json", **auth).status_code


def test_rotating_a_token_stops_the_old_one(officer_a, client):
    api = token_client(officer_a)
    made = api.post("/api/alert-sources/", {"unit": "ward-a", "kind": "generic", "name": "g"})
    old = made.json()["token"]
    assert intake_post(client, old) == 202
    new = api.post(f"/api/alert-sources/{made.json()['id']}/rotate/").json()["token"]
    assert new != old
    assert intake_post(client, old) == 401
    assert intake_post(client, new) == 202


def test_disabling_over_the_api_refuses_the_next_post(officer_a, client):
    api = token_client(officer_a)
    made = api.post("/api/alert-sources/", {"unit": "ward-a", "kind": "generic", "name": "g"})
    token = made.json()["token"]
    assert intake_post(client, token) == 202
    api.patch(f"/api/alert-sources/{made.json()['id']}/", {"enabled": False}, format="json")
    assert intake_post(client, token) == 403


def test_the_schema_documents_the_alert_endpoints_without_warnings(client, city_admin):
    from drf_spectacular.drainage import GENERATOR_STATS

    GENERATOR_STATS.reset()
    client.force_login(city_admin)  # the schema is for signed-in users and tokens
    schema = client.get("/api/openapi.json").json()
    for path in ("/api/alerts/", "/api/alerts/{id}/acknowledge/", "/api/alert-sources/"):
        assert path in schema["paths"]
    ours = [m for m in GENERATOR_STATS._warn_cache if "alert" in m.lower()]
    assert ours == []
