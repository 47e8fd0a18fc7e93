"""Maintenance windows: made from the page, checked, ended early; nobody notified inside."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from citysoc.alerts import escalation, intake
from citysoc.alerts.models import Alert, AlertSource, MaintenanceWindow
from citysoc.alerts.sources.base import Event
from citysoc.notify.models import Message

pytestmark = pytest.mark.django_db


def trigger(source, key="k"):
    event = Event(
        action="trigger",
        dedup_key=key,
        severity="high",
        source="generic",
        summary="Link down",
        details={},
        occurred_at=timezone.now(),
    )
    return Alert.objects.get(pk=intake.ingest(source, [event]).alert_ids[0])


@pytest.fixture
def source(unit_a):
    escalation.default_policy()
    return AlertSource.objects.create(unit=unit_a, kind="generic", name="Switch lõi")


def test_a_window_is_made_from_the_page_and_silences_its_unit(client_as, officer_a, source, unit_a):
    form = {
        "unit": unit_a.pk,
        "source": "",
        "starts_at": timezone.localtime().strftime("%d/%m/%Y %H:%M"),
        "ends_at": (timezone.localtime() + dt.timedelta(hours=2)).strftime("%d/%m/%Y %H:%M"),
        "reason": "Thay switch lõi",
    }
    response = client_as(officer_a).post("/alerts/maintenance/new/", form)
    assert response.status_code == 302
    window = MaintenanceWindow.objects.get()
    assert window.created_by == officer_a
    alert = trigger(source)
    escalation.run_due()
    assert alert.silenced and not Message.objects.exists()
    page = client_as(officer_a).get("/alerts/maintenance/").content.decode()
    assert "Thay switch lõi" in page


def test_bad_windows_are_refused_with_the_field_named(client_as, officer_a, unit_a, unit_b):
    other = AlertSource.objects.create(unit=unit_b, kind="generic", name="B")
    now = timezone.localtime()
    form = {
        "unit": unit_a.pk,
        "source": "",
        "starts_at": now.strftime("%d/%m/%Y %H:%M"),
        "ends_at": (now - dt.timedelta(hours=1)).strftime("%d/%m/%Y %H:%M"),
        "reason": "x",
    }
    client = client_as(officer_a)
    response = client.post("/alerts/maintenance/new/", form)
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"ends_at"}
    response = client.post(
        "/alerts/maintenance/new/", {**form, "unit": unit_b.pk, "source": other.pk}
    )
    assert {"unit", "source"} <= response.context["form"].errors.keys()
    assert not MaintenanceWindow.objects.exists()


def test_ending_a_window_early_resumes_the_paused_escalation(client_as, officer_a, source, unit_a):
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False) as clock:
        trigger(source)
        escalation.run_due()
        window = MaintenanceWindow.objects.create(
            unit=unit_a, starts_at=start, ends_at=start + dt.timedelta(hours=4), reason="Nâng cấp"
        )
        clock.shift(dt.timedelta(minutes=10))
        escalation.run_due()
        assert Message.objects.count() == 1  # paused
        response = client_as(officer_a).post(f"/alerts/maintenance/{window.pk}/end/")
        assert response.status_code == 302
        window.refresh_from_db()
        assert window.ends_at == timezone.now()
        escalation.run_due()
    assert Message.objects.count() == 2


def test_another_wards_window_is_hidden_and_cannot_be_ended(client_as, officer_b, unit_a):
    now = timezone.now()
    window = MaintenanceWindow.objects.create(
        unit=unit_a, starts_at=now, ends_at=now + dt.timedelta(hours=1), reason="MARK A work"
    )
    client = client_as(officer_b)
    assert "MARK A work" not in client.get("/alerts/maintenance/").content.decode()
    assert client.post(f"/alerts/maintenance/{window.pk}/end/").status_code == 404
    window.refresh_from_db()
    assert window.ends_at > timezone.now()


def test_an_empty_page_says_what_each_part_is_for(client_as, officer_a):
    client = client_as(officer_a)
    client.cookies["citysoc_language"] = "vi"
    page = client.get("/alerts/maintenance/").content.decode()
    assert "Không có khung giờ bảo trì nào đang diễn ra" in page
    assert "Trước khi làm việc theo kế hoạch" in page
    assert '<td colspan="6">—</td>' not in page
