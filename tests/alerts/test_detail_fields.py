"""An alert's details are labelled fields in the reader's language, not raw JSON."""

from __future__ import annotations

import pytest
from django.urls import reverse

from citysoc.alerts import intake
from citysoc.alerts.models import AlertSource
from citysoc.alerts.sources import wazuh
from tests.alerts.sources import support

pytestmark = pytest.mark.django_db


def details_card(page: str) -> str:
    start = page.index('data-testid="details"')
    return page[start : page.index("</section>", start)]


def test_a_wazuh_alert_shows_labelled_fields(client_as, officer_a, unit_a):
    source = AlertSource.objects.create(unit=unit_a, kind="wazuh", name="Wazuh phường")
    event = wazuh.parse(support.fixture("wazuh/alerts.json")).events[0]
    result = intake.ingest(source, [event])

    page = client_as(officer_a).get(reverse("alerts:alert-detail", args=result.alert_ids[:1]))
    card = details_card(page.content.decode())

    assert 'title="rule_id">Luật</dt>' in card
    assert f"<dd>{event.details['rule_id']}</dd>" in card
    assert 'title="rule_level">Mức của luật</dt>' in card
    assert ">rule_id<" not in card and ">agent_name<" not in card


def test_alertmanager_labels_are_a_list_of_fields_not_json(client_as, officer_a, unit_a):
    alert = intake.raise_alert(
        unit_a,
        kind="system",
        dedup_key="x",
        severity="medium",
        summary="Disk almost full",
        details={
            "labels": {"alertname": "DiskFull", "instance": "db01:9100"},
            "annotations": {"summary": "Disk almost full"},
            "status": "firing",
            "disk_mount": "/var",
        },
    )
    card = details_card(client_as(officer_a).get(f"/alerts/{alert.pk}/").content.decode())
    assert '{"' not in card and '": "' not in card  # no JSON
    assert 'title="alertname">Tên cảnh báo</dt><dd>DiskFull</dd>' in card
    assert 'title="labels">Nhãn</dt>' in card
    assert 'title="disk_mount">Disk mount</dt><dd>/var</dd>' in card  # a script's own field


def test_a_website_alert_names_its_fields_and_the_events_action_in_words(
    client_as, officer_a, unit_a
):
    alert = intake.raise_alert(
        unit_a,
        kind="webwatch",
        dedup_key="webwatch:1:defacement:changed",
        severity="high",
        summary="Cổng phường: Thay đổi giao diện (deface)",
        details={
            "url": "https://bacson.example.gov.vn/",
            "check": "defacement",
            "finding": 1,
            "title": "Page changed 68% from its baseline",
            "evidence": {"page": "https://bacson.example.gov.vn/", "changed_ratio": 0.68},
        },
    )
    page = client_as(officer_a).get(f"/alerts/{alert.pk}/").content.decode()
    card = details_card(page)
    for name in ("check", "finding", "title", "page", "changed_ratio"):
        assert f'title="{name}">{name.capitalize()}<' not in card, name
    assert 'title="check">Kiểm tra</dt>' in card
    events = page[page.index("</section>", page.index('data-testid="details"')) :]
    assert "<td>trigger</td>" not in events and "<td>Báo</td>" in events
