"""Opening an incident: from an alert (keeps the link and the timeline), from a clean-up
task, a website finding, a vulnerability finding, or by hand."""

from __future__ import annotations

import pytest
from django.utils import timezone

from citysoc.alerts.models import AlertLog, Incident
from citysoc.incidents import casework, observables, opening
from tests import factories
from tests.incidents.support import make_alert

pytestmark = pytest.mark.django_db


def test_an_incident_opened_from_an_alert_keeps_the_link_and_the_alerts_timeline(officer_a, unit_a):
    earlier = timezone.now() - timezone.timedelta(hours=3)
    alert = make_alert(unit_a, "scan", src_ip="198.51.100.23", at=earlier)
    AlertLog.objects.create(
        alert=alert, at=earlier, kind="note", actor="Trực ca", text="Đã gọi ISP"
    )
    incident = opening.open_from(alert, by=officer_a, kind=Incident.Kind.INTRUSION)
    alert.refresh_from_db()
    assert alert.incident == incident
    assert incident.opened_from == f"alerts.alert:{alert.pk}"
    assert incident.detected_at == earlier  # the deadlines run from the alert, not the click
    assert incident.acknowledged_at is not None
    assert list(incident.observables.values_list("value", flat=True)) == ["198.51.100.23"]
    texts = [e.text for e in casework.timeline(incident)]
    assert texts[0].startswith(f"Alert #{alert.pk} first seen") or "Alert scan" in texts[0]
    assert any("Đã gọi ISP" in t for t in texts)
    assert any(f"#{alert.pk} Alert scan" in t for t in texts)  # the promotion note


def test_a_cleanup_task_opens_a_malware_incident_with_its_address_and_system(unit_a, officer_a):
    from citysoc.intel.models import CleanupTask

    system = factories.make_system(unit_a, name="Cổng TTĐT", level=3)
    host = factories.make_host(unit_a, hostname="web01", ipv4="203.0.113.10")
    host.systems.add(system)
    task = CleanupTask.objects.filter(pk=None).first() or _cleanup_task(unit_a, host)
    incident = opening.open_from(task, by=officer_a)
    assert incident.kind == Incident.Kind.MALWARE and incident.unit == unit_a
    assert incident.opened_from == f"intel.cleanuptask:{task.pk}"
    assert incident.observables.get().value == "203.0.113.10"
    assert incident.systems.get().level == 3


def _cleanup_task(unit, host):
    import datetime as dt

    from citysoc.intel.models import CleanupTask, IndicatorSource, ListVersion

    source = IndicatorSource.objects.create(name="NCSC botnet")
    version = ListVersion.objects.create(source=source, filename="botnet.xlsx", sha256="0" * 64)
    return CleanupTask.objects.create(
        unit=unit,
        host=host,
        ip="203.0.113.10",
        family="Mirai",
        due_date=dt.date(2026, 12, 31),
        opened_by_version=version,
    )


def test_any_row_with_a_unit_opens_a_case_and_one_without_is_refused(unit_a, officer_a):
    system = factories.make_system(unit_a, name="Một cửa điện tử")
    incident = opening.open_from(system, title="Sweep hit on Một cửa")
    assert incident.unit == unit_a and incident.opened_from.startswith(
        "inventory.informationsystem:"
    )
    with pytest.raises(opening.OpenError):
        opening.open_from(officer_a)  # a login belongs to no unit


def test_a_hand_opened_case_is_acknowledged_and_detected_now(unit_a, officer_a):
    incident = opening.open_by_hand(
        unit_a, by=officer_a, title="Lừa đảo giả mạo", severity="high", kind="phishing"
    )
    assert incident.detected_at and incident.acknowledged_at and incident.opened_from == "manual"


def test_observables_are_normalised_searchable_and_make_incidents_similar(unit_a, officer_a):
    one = opening.open_by_hand(unit_a, by=officer_a, title="A", severity="low")
    two = opening.open_by_hand(unit_a, by=officer_a, title="B", severity="low")
    observables.add(one, " EVIL.Example. ")
    observables.add(two, "evil.example")
    observables.add(two, "http://evil.example/x.exe")
    with pytest.raises(observables.BadObservable):
        observables.add(one, "300.1.1.1", kind="ip")
    assert one.observables.get().value == "evil.example"
    assert observables.similar(one, officer_a) == [(two, 1)]
    assert observables.search(officer_a, "evil").count() == 3


def test_merge_moves_alerts_and_observables_and_closes_the_duplicate(unit_a, officer_a):
    keep = opening.open_from(make_alert(unit_a, "a", src_ip="192.0.2.1"), by=officer_a)
    dup = opening.open_from(make_alert(unit_a, "b", src_ip="192.0.2.1"), by=officer_a)
    casework.merge(dup, keep, by=officer_a)
    dup.refresh_from_db()
    assert dup.merged_into == keep and dup.status == "closed"
    assert keep.alerts.count() == 2 and keep.observables.count() == 1
