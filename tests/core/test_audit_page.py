import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from citysoc.core import audit
from citysoc.core.models import AuditEntry
from tests.factories import make_domain, make_host


@pytest.fixture
def history(officer_a, officer_b, unit_a, unit_b):
    with audit.acting_as(officer_a, via="web"):
        host = make_host(unit_a, hostname="pc-a1")
        host.os = "Ubuntu 24.04"
        host.save()
    with audit.acting_as(officer_b, via="api"):
        make_domain(unit_b, "namson.gov.vn")


def _rows(response):
    return list(response.context["table"].rows)


@pytest.mark.parametrize("role", ["officer_a", "operator_a", "viewer_a", "viewer", "isp_liaison"])
def test_the_audit_log_is_not_found_for_anyone_but_the_city(request, client_as, role):
    client = client_as(request.getfixturevalue(role))
    assert client.get(reverse("core:audit-list")).status_code == 404
    assert client.get(reverse("core:audit-list") + "?format=csv").status_code == 404


def test_the_city_admin_filters_by_user_unit_type_and_action(
    client_as, city_admin, history, unit_a
):
    client = client_as(city_admin)
    url = reverse("core:audit-list")
    by_b = _rows(client.get(url + "?user=officer_b"))
    assert [e.object_repr for e in by_b] == ["namson.gov.vn"]
    of_a = _rows(client.get(url + f"?unit={unit_a.pk}&model=inventory.host"))
    assert [e.action for e in of_a] == ["update", "create"]
    updates = _rows(client.get(url + "?action=update"))
    assert [e.changes["after"] for e in updates] == [{"os": "Ubuntu 24.04"}]


def test_the_page_shows_before_and_after(client_as, city_admin, history):
    text = client_as(city_admin).get(reverse("core:audit-list") + "?action=update").content
    assert "Ubuntu 24.04" in text.decode()


def test_a_date_range_uses_local_dates(client_as, city_admin, history):
    old = AuditEntry.objects.get(object_repr="namson.gov.vn")
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=10))
    today = timezone.localdate().isoformat()
    rows = _rows(client_as(city_admin).get(reverse("core:audit-list") + f"?date_from={today}"))
    assert old not in rows
    assert len([e for e in rows if e.model == "inventory.host"]) == 2
    before = (timezone.localdate() - dt.timedelta(days=5)).strftime("%d/%m/%Y")
    rows = _rows(client_as(city_admin).get(reverse("core:audit-list") + f"?date_to={before}"))
    assert rows == [old]


def test_the_csv_export_holds_the_filtered_entries(client_as, city_admin, history):
    response = client_as(city_admin).get(
        reverse("core:audit-list") + "?model=inventory.host&format=csv"
    )
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [r["action"] for r in rows] == ["update", "create"]
    assert rows[0]["by"] == "officer_a"
    assert "Ubuntu 24.04" in rows[0]["after"]
    assert rows[0]["unit"] == "ward-a"
