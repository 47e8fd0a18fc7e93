"""`Authorization: Bearer …` tokens, and changes made with them in the audit log."""

from __future__ import annotations

from django.utils import timezone
from rest_framework.test import APIClient

from citysoc.core.models import ApiToken, AuditEntry
from tests.factories import make_host


def test_a_valid_token_reads_the_units_data(token_client, officer_a, unit_a):
    make_host(unit_a, hostname="pc-01")
    response = token_client(officer_a).get("/api/hosts/")
    assert response.status_code == 200
    assert [h["hostname"] for h in response.json()["results"]] == ["pc-01"]
    assert ApiToken.objects.get().last_used_at is not None


def test_a_token_carries_its_users_scope_only(token_client, officer_a, unit_b):
    host_b = make_host(unit_b, hostname="b-pc")
    client = token_client(officer_a)
    assert client.get("/api/hosts/").json()["count"] == 0
    assert client.get(f"/api/hosts/{host_b.pk}/").status_code == 404


def test_a_revoked_token_is_refused_with_a_hint(officer_a):
    token, raw = ApiToken.issue(officer_a)
    token.revoked_at = timezone.now()
    token.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = client.get("/api/hosts/")
    assert response.status_code == 401
    assert "citysoc token create" in response.json()["detail"]


def test_an_unknown_token_is_refused(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer cs_not-a-real-token")
    assert client.get("/api/hosts/").status_code == 401


def test_a_request_without_a_token_is_refused_and_told_to_use_bearer(db):
    response = APIClient().get("/api/hosts/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_token_of_a_deactivated_user_is_refused(officer_a, token_client):
    client = token_client(officer_a)
    officer_a.is_active = False
    officer_a.save()
    assert client.get("/api/hosts/").status_code == 401


def test_a_change_made_with_a_token_is_attributed_to_its_user_in_the_audit_log(
    token_client, officer_a, unit_a
):
    response = token_client(officer_a).post(
        "/api/hosts/", {"unit": "ward-a", "hostname": "srv-api"}, format="json"
    )
    assert response.status_code == 201
    entry = AuditEntry.objects.get(model="inventory.host", action="create")
    assert entry.via == "api"
    assert entry.actor == officer_a
    assert entry.actor_label.startswith("officer_a")
    assert entry.unit == unit_a
    assert entry.changes["after"]["hostname"] == "srv-api"


def test_a_city_admin_reads_the_audit_log_and_filters_it(
    token_client, officer_a, city_admin, unit_a
):
    token_client(officer_a).post("/api/hosts/", {"unit": "ward-a", "hostname": "h1"}, format="json")
    client = token_client(city_admin)
    rows = client.get("/api/audit/", {"model": "inventory.host", "via": "api"}).json()["results"]
    assert [(r["action"], r["object_repr"], r["unit"]) for r in rows] == [
        ("create", "h1", "ward-a")
    ]
    assert rows[0]["actor"].startswith("officer_a")
    assert client.get("/api/audit/", {"unit": "ward-b"}).json()["count"] == 0


def test_the_audit_log_is_closed_to_unit_roles(token_client, officer_a, viewer):
    for user in (officer_a, viewer):
        response = token_client(user).get("/api/audit/")
        assert response.status_code == 403
        assert "city" in response.json()["detail"]
