"""/api/monitors/ and /api/monitor-findings/: unit codes, tenancy, editors write, findings read."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from citysoc.webwatch.models import Finding, Monitor
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_as():
    def make(user) -> APIClient:
        client = APIClient()
        client.force_login(user)
        return client

    return make


def make_monitor(unit, url="https://bacson.example.gov.vn/", **extra) -> Monitor:
    return Monitor.objects.create(unit=unit, name=extra.pop("name", url), url=url, **extra)


def make_finding(monitor, check="injected_links", severity="critical", status="open") -> Finding:
    now = timezone.now()
    return Finding.objects.create(
        unit=monitor.unit,
        monitor=monitor,
        check_name=check,
        key=f"{check}-{severity}",
        severity=severity,
        title=f"{check} {severity}",
        evidence={"link": "https://bet.example.com/"},
        first_seen=now,
        last_seen=now,
        status=status,
    )


def test_a_ward_lists_only_its_monitors_with_the_unit_code(api_as, officer_a, unit_a, unit_b):
    make_monitor(unit_a)
    make_monitor(unit_b, "https://namson.example.gov.vn/")
    data = api_as(officer_a).get("/api/monitors/").json()
    assert [(m["unit"], m["url"]) for m in data["results"]] == [
        ("ward-a", "https://bacson.example.gov.vn/")
    ]
    assert data["results"][0]["state"] == "unknown"
    assert api_as(officer_a).get("/api/monitors/?unit=ward-b").json()["results"] == []


def test_an_editor_creates_a_monitor_for_its_unit_and_not_for_another(
    api_as, officer_a, unit_a, unit_b
):
    domain = factories.make_domain(unit_a, "bacson.example.gov.vn")
    client = api_as(officer_a)
    response = client.post(
        "/api/monitors/",
        {
            "unit": "ward-a",
            "name": "Cổng",
            "url": "https://bacson.example.gov.vn/",
            "domain": domain.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["interval_minutes"] == 5
    assert response.json()["public"] is False
    refused = client.post(
        "/api/monitors/",
        {"unit": "ward-b", "name": "x", "url": "https://x.example/"},
        format="json",
    )
    assert refused.status_code in (400, 403)
    assert Monitor.objects.filter(unit=unit_b).count() == 0


def test_a_domain_of_another_unit_is_refused(api_as, officer_a, unit_a, unit_b):
    other = factories.make_domain(unit_b, "namson.example.gov.vn")
    response = api_as(officer_a).post(
        "/api/monitors/",
        {"unit": "ward-a", "name": "x", "url": "https://x.example/", "domain": other.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "domain" in response.json()


def test_a_viewer_reads_but_cannot_change(api_as, viewer_a, unit_a):
    monitor = make_monitor(unit_a)
    client = api_as(viewer_a)
    assert client.get(f"/api/monitors/{monitor.pk}/").status_code == 200
    response = client.patch(f"/api/monitors/{monitor.pk}/", {"enabled": False}, format="json")
    assert response.status_code == 403
    assert Monitor.objects.get().enabled is True


def test_another_units_monitor_and_findings_are_not_found(api_as, officer_b, unit_a):
    monitor = make_monitor(unit_a)
    finding = make_finding(monitor)
    client = api_as(officer_b)
    assert client.get(f"/api/monitors/{monitor.pk}/").status_code == 404
    assert (
        client.patch(f"/api/monitors/{monitor.pk}/", {"public": True}, format="json").status_code
        == 404
    )
    assert client.get(f"/api/monitor-findings/{finding.pk}/").status_code == 404
    assert client.get("/api/monitor-findings/").json()["results"] == []


def test_findings_are_read_only_and_filtered(api_as, officer_a, unit_a):
    monitor = make_monitor(unit_a)
    other = make_monitor(unit_a, "https://dvc.bacson.example.gov.vn/")
    make_finding(monitor, "injected_links", "critical")
    make_finding(monitor, "defacement", "high", status="resolved")
    make_finding(other, "tls", "medium")
    client = api_as(officer_a)

    def titles(query: str) -> list[str]:
        return sorted(
            f["title"] for f in client.get(f"/api/monitor-findings/{query}").json()["results"]
        )

    assert titles(f"?monitor={monitor.pk}") == ["defacement high", "injected_links critical"]
    assert titles("?check=tls") == ["tls medium"]
    assert titles("?severity=critical") == ["injected_links critical"]
    assert titles("?status=resolved") == ["defacement high"]
    item = client.get("/api/monitor-findings/?check=tls").json()["results"][0]
    assert item["unit"] == "ward-a"
    assert item["dedup_key"] == f"webwatch:{other.pk}:tls:tls-medium"
    finding = Finding.objects.get(check_name="tls")
    assert (
        client.patch(
            f"/api/monitor-findings/{finding.pk}/", {"status": "resolved"}, format="json"
        ).status_code
        == 405
    )


def test_the_schema_documents_the_webwatch_endpoints(api_as, officer_a):
    schema = api_as(officer_a).get("/api/openapi.json").json()
    assert "/api/monitors/" in schema["paths"]
    assert "/api/monitor-findings/" in schema["paths"]
