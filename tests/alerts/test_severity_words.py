"""A tool's own severity word goes through the intake and is shown on the alert page."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from citysoc.alerts.models import Alert, AlertSource

pytestmark = pytest.mark.django_db


def test_a_warning_is_a_medium_alert_showing_the_word(client, client_as, officer_a, unit_a):
    source = AlertSource(unit=unit_a, kind="generic", name="nagios")
    token = source.new_token()
    source.save()
    body = {"summary": "Disk 91% full on web01", "severity": "warning", "dedup_key": "web01"}
    response = client.post(
        "/api/alerts/intake/generic/",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 202, response.content
    alert = Alert.objects.get()
    assert (alert.severity, alert.severity_word) == ("medium", "warning")

    page = client_as(officer_a).get(reverse("alerts:alert-detail", args=[alert.pk]))
    text = page.content.decode()
    assert "Mức độ theo công cụ gửi" in text
    assert "“warning” (theo JSON chung)" in text
