"""/api/findings/ filters (system, kev, overdue) and the work endpoint, unit scoped."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from citysoc.core.models import Person
from citysoc.vulns.models import Finding, KnownExploited
from tests import factories
from tests.vulns.support import make_finding

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def findings(unit_a, unit_b):
    KnownExploited.objects.create(cve="CVE-2021-44228")
    system = factories.make_system(unit_a, level=3)
    late_kev = make_finding(
        unit_a, system=system, cves=["CVE-2021-44228"], severity="critical", days_ago=9
    )
    fresh = make_finding(unit_a, severity="medium")
    make_finding(unit_b, cves=["CVE-2021-44228"], severity="critical", days_ago=30)
    return late_kev, fresh


def _ids(client, query: str) -> list[int]:
    return [r["id"] for r in client.get(f"/api/findings/{query}").json()["results"]]


def test_filters_by_system_kev_and_overdue(client, officer_a, findings):
    late_kev, fresh = findings
    client.force_login(officer_a)
    assert sorted(_ids(client, "")) == sorted([late_kev.pk, fresh.pk])
    assert _ids(client, "?kev=true") == [late_kev.pk]
    assert _ids(client, "?overdue=true") == [late_kev.pk]
    assert _ids(client, "?overdue=false") == [fresh.pk]
    assert _ids(client, f"?system={late_kev.system_id}") == [late_kev.pk]
    row = client.get(f"/api/findings/{late_kev.pk}/").json()
    assert row["kev"] and row["overdue"] and row["due_reason"].startswith("Known exploited")


def test_work_through_the_api(client, officer_a, findings):
    late_kev, _fresh = findings
    client.force_login(officer_a)
    url = f"/api/findings/{late_kev.pk}/work/"
    person = Person.objects.create(unit=late_kev.unit, full_name="Lê Thị Hoa")
    assert (
        client.post(url, {"action": "assign", "assignee": person.pk}, "application/json").json()[
            "assignee"
        ]
        == person.pk
    )
    until = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    body = client.post(
        url, {"action": "accept", "reason": "VPN only", "until": until}, "application/json"
    ).json()
    assert body["status"] == "accepted" and body["accepted_until"] == until
    refused = client.post(url, {"action": "false_positive"}, "application/json")
    assert refused.status_code == 400 and "reason" in refused.json()


def test_the_work_endpoint_is_unit_scoped(client, officer_b, viewer_a, findings):
    late_kev, _fresh = findings
    url = f"/api/findings/{late_kev.pk}/work/"
    client.force_login(officer_b)
    assert client.post(url, {"action": "fixed"}, "application/json").status_code == 404
    client.force_login(viewer_a)
    assert client.post(url, {"action": "fixed"}, "application/json").status_code == 403
    assert Finding.objects.get(pk=late_kev.pk).status == "open"
