"""Incidents: promote one alert or several, notes, status changes written as notes."""

from __future__ import annotations

import pytest
from django.utils import timezone

from citysoc.alerts.models import Alert, AlertLog, AlertSource, Incident

pytestmark = pytest.mark.django_db


def make_alert(unit, key: str, severity: str = "high") -> Alert:
    source, _ = AlertSource.objects.get_or_create(unit=unit, kind="generic", name="IDS")
    now = timezone.now()
    return Alert.objects.create(
        unit=unit,
        source=source,
        dedup_key=key,
        severity=severity,
        summary=f"Alert {key}",
        first_seen=now,
        last_seen=now,
    )


def test_promoting_one_alert_opens_an_incident_with_its_title(client_as, officer_a, unit_a):
    alert = make_alert(unit_a, "web-defaced", "critical")
    response = client_as(officer_a).post("/alerts/promote/", {"alert": alert.pk})
    incident = Incident.objects.get()
    assert response.url == f"/incidents/{incident.pk}/"
    assert (incident.title, incident.severity, incident.unit) == (
        "Alert web-defaced",
        "critical",
        unit_a,
    )
    alert.refresh_from_db()
    assert alert.incident == incident
    assert alert.log.filter(kind=AlertLog.Kind.INCIDENT, actor="Officer_A").exists()


def test_several_alerts_from_the_list_make_one_incident_of_the_worst_severity(
    client_as, officer_a, unit_a
):
    alerts = [make_alert(unit_a, "a", "low"), make_alert(unit_a, "b", "high")]
    client_as(officer_a).post(
        "/alerts/promote/", {"alert": [a.pk for a in alerts], "title": "Quét cổng hàng loạt"}
    )
    incident = Incident.objects.get()
    assert (incident.title, incident.severity) == ("Quét cổng hàng loạt", "high")
    assert incident.alerts.count() == 2
    assert "Alert a" in incident.notes.get().text


def test_alerts_of_two_units_are_refused(client_as, city_admin, unit_a, unit_b):
    alerts = [make_alert(unit_a, "a"), make_alert(unit_b, "b")]
    client = client_as(city_admin)
    response = client.post("/alerts/promote/", {"alert": [a.pk for a in alerts]}, follow=True)
    assert not Incident.objects.exists()
    assert "several units" in response.content.decode() or response.status_code == 200


def test_another_wards_alert_cannot_be_promoted(client_as, officer_b, unit_a):
    alert = make_alert(unit_a, "a")
    client_as(officer_b).post("/alerts/promote/", {"alert": alert.pk})
    assert not Incident.objects.exists()


def test_notes_and_status_changes_make_the_incident_timeline(client_as, officer_a, unit_a):
    client = client_as(officer_a)
    client.post("/alerts/promote/", {"alert": make_alert(unit_a, "a").pk})
    incident = Incident.objects.get()
    client.post(
        f"/alerts/incidents/{incident.pk}/note/", {"text": "Đã cách ly máy", "status": "contained"}
    )
    client.post(f"/alerts/incidents/{incident.pk}/note/", {"text": "", "status": "contained"})
    incident.refresh_from_db()
    assert incident.status == "contained"
    notes = list(incident.notes.values_list("text", flat=True))
    assert len(notes) == 2  # the empty note without a change was refused
    assert "Đã cách ly máy" in notes[1] and "→" in notes[1]
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert "Đã cách ly máy" in page


def test_incidents_are_seen_by_their_unit_only(client_as, officer_a, officer_b, unit_a):
    client_as(officer_a).post("/alerts/promote/", {"alert": make_alert(unit_a, "a").pk})
    incident = Incident.objects.get()
    other = client_as(officer_b)
    assert other.get(f"/incidents/{incident.pk}/").status_code == 404
    assert (
        other.post(
            f"/alerts/incidents/{incident.pk}/note/", {"text": "x", "status": "closed"}
        ).status_code
        == 404
    )
    assert "Alert a" not in other.get("/incidents/").content.decode()
    assert "Alert a" in client_as(officer_a).get("/incidents/").content.decode()


def test_a_viewer_reads_but_cannot_write(client_as, officer_a, viewer_a, unit_a):
    client_as(officer_a).post("/alerts/promote/", {"alert": make_alert(unit_a, "a").pk})
    incident = Incident.objects.get()
    viewer = client_as(viewer_a)
    assert viewer.get(f"/incidents/{incident.pk}/").status_code == 200
    response = viewer.post(
        f"/alerts/incidents/{incident.pk}/note/", {"text": "x", "status": "closed"}
    )
    assert response.status_code == 403


def test_old_incident_links_lead_to_the_incidents_area(client_as, officer_a, officer_b, unit_a):
    client_as(officer_a).post("/alerts/promote/", {"alert": make_alert(unit_a, "a").pk})
    incident = Incident.objects.get()
    ward = client_as(officer_a)
    response = ward.get("/alerts/incidents/?status=open")
    assert (response.status_code, response.url) == (301, "/incidents/?status=open")
    response = ward.get(f"/alerts/incidents/{incident.pk}/", follow=True)
    assert response.redirect_chain == [(f"/incidents/{incident.pk}/", 301)]
    assert "Alert a" in response.content.decode()
    # The redirect names no unit: the other ward lands on the case page, which hides it.
    assert (
        client_as(officer_b).get(f"/alerts/incidents/{incident.pk}/", follow=True).status_code
        == 404
    )


def test_the_sidebar_opens_the_incidents_area_for_a_ward_and_the_city(
    client_as, officer_a, city_admin
):
    for user in (officer_a, city_admin):
        page = client_as(user).get("/incidents/").content.decode()
        assert 'href="/incidents/" class="active"' in page
        assert "/alerts/incidents/" not in page
