"""Shared pieces of the incident tests: an alert, a case, the libraries' incident clocks."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from citysoc.alerts.models import Alert, AlertSource


def make_alert(unit, key: str, *, severity: str = "high", src_ip: str = "", at=None) -> Alert:
    source, _ = AlertSource.objects.get_or_create(unit=unit, kind="generic", name="IDS")
    at = at or timezone.now()
    return Alert.objects.create(
        unit=unit,
        source=source,
        dedup_key=key,
        severity=severity,
        summary=f"Alert {key}",
        src_ip=src_ip,
        first_seen=at,
        last_seen=at,
    )


def local(y, m, d, h=9, minute=0) -> dt.datetime:
    return dt.datetime(y, m, d, h, minute, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def realistic_case(unit, officer):
    """A ward portal defaced in March 2025, beyond the ward's capacity, then handled."""
    from citysoc.incidents import casework, observables, opening, playbooks
    from citysoc.incidents.models import Report
    from tests import factories

    unit.address = "Số 1 đường Quang Trung, phường Bắc Sơn"
    unit.phone = "0229 3864 000"
    unit.email = "ubnd@bacson.example"
    unit.incident_contact_name = "Nguyễn Văn Trực"
    unit.incident_contact_phone = "0912 000 111"
    unit.incident_contact_email = "trucsuco@bacson.example"
    unit.save()
    system = factories.make_system(unit, name="Cổng thông tin điện tử phường", level=3)
    incident = opening.open_by_hand(
        unit,
        by=officer,
        title="Trang chủ cổng thông tin bị thay đổi giao diện",
        severity="high",
        kind="defacement",
        description="Trang chủ hiển thị nội dung quảng cáo cờ bạc.",
        detected_at=local(2025, 3, 10, 8, 30),
        beyond_capacity=True,
        detection_method="Giám sát website (IDS)",
        handling="domestic",
        damage="Gián đoạn 6 giờ",
    )
    opening.add_system(incident, system)
    observables.add(incident, "bacson.example")
    observables.add(incident, "198.51.100.23")
    for task in playbooks.apply(incident, by=officer, now=local(2025, 3, 10, 9)):
        casework.complete_task(task, by=officer)
    Report.objects.create(unit=unit, incident=incident, form="03", sent_at=local(2025, 3, 10, 10))
    incident.response_ended_at = local(2025, 3, 11, 17)
    incident.save()
    casework.close(incident, by=officer, lessons="Cập nhật mã nguồn CMS; bật xác thực hai lớp.")
    return incident
