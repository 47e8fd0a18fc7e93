"""The demo city's incidents: a defaced ward portal still open (playbook applied, the
notification made, a report late), a malware case closed with its Mẫu 03 and Mẫu 04 sent
and lessons learned, the alerts demo's incident typed, and the city's incident contacts.

Idempotent: cases are found again by their titles; dates are relative to today, so the
open case always shows a deadline and the closed one sits in the current half-year.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from citysoc.alerts.models import Incident
from citysoc.core import demo
from citysoc.core.models import Unit
from citysoc.incidents import casework, observables, opening, playbooks, reporting
from citysoc.incidents.models import Contact
from citysoc.inventory.models import InformationSystem

OPEN_TITLE = "Cổng thông tin phường Bắc Sơn bị chèn liên kết cờ bạc"
CLOSED_TITLE = "Máy trạm bộ phận một cửa Nam Sơn nhiễm mã độc botnet"
CONTACTS = [
    (
        "police",
        "Trực ban Phòng An ninh mạng (PA05) Công an tỉnh",
        "Công an tỉnh Ninh Bình",
        "069.2xxx.xxx (điền số thật)",
        "pa05@ninhbinh.example",
    ),
    (
        "city",
        "Tổ ứng cứu sự cố thành phố",
        "UBND thành phố",
        "0229 3864 999",
        "ungcuu@tamdiep.example.gov.vn",
    ),
    (
        "isp",
        "Trực kỹ thuật Viettel Ninh Bình",
        "Viettel Ninh Bình",
        "1800 8098",
        "noc@viettel.example",
    ),
]


def _officer(code: str):
    return get_user_model().objects.filter(username=f"{code.removeprefix('p-')}.admin").first()


def _system(unit: Unit) -> InformationSystem | None:
    return InformationSystem.objects.filter(unit=unit).order_by("-security_level").first()


def _open_case(now: dt.datetime) -> None:
    unit = Unit.objects.filter(code="p-bacson").first()
    if unit is None or Incident.objects.filter(title=OPEN_TITLE).exists():
        return
    by = _officer("p-bacson")
    case = opening.open_by_hand(
        unit,
        by=by,
        title=OPEN_TITLE,
        severity="high",
        kind="defacement",
        description="Trang chủ chèn 14 liên kết tới trang cờ bạc; phát hiện qua giám sát website.",
        detected_at=now - dt.timedelta(days=6),
        detection_method="Giám sát website",
        beyond_capacity=False,
    )
    if (system := _system(unit)) is not None:
        opening.add_system(case, system)
    for value in ("bacson.tamdiep.example.gov.vn", "http://win-bet.example/ref", "203.0.113.77"):
        observables.add(case, value)
    tasks = playbooks.apply(case, by=by, now=now - dt.timedelta(days=6))
    for task in tasks[:3]:
        casework.complete_task(task, by=by)
    reporting.record(case, "notice", by=by, text="Đã cách ly trang, đang rà soát mã nguồn.")


def _closed_case(now: dt.datetime) -> None:
    unit = Unit.objects.filter(code="p-namson").first()
    if unit is None or Incident.objects.filter(title=CLOSED_TITLE).exists():
        return
    by = _officer("p-namson")
    detected = now - dt.timedelta(days=20)
    case = opening.open_by_hand(
        unit,
        by=by,
        title=CLOSED_TITLE,
        severity="high",
        kind="malware",
        description="Máy trạm kết nối tới máy chủ điều khiển Mirai theo danh sách IP botnet.",
        detected_at=detected,
        beyond_capacity=True,
        handling="domestic",
        detection_method="Danh sách IP botnet (thông báo từ NCSC)",
        damage="Không đáng kể",
    )
    if (system := _system(unit)) is not None:
        opening.add_system(case, system)
    observables.add(case, "198.51.100.14")
    observables.add(case, "203.0.113.77")  # shared with the open case: "similar incidents"
    for task in playbooks.apply(case, by=by, now=detected):
        casework.complete_task(task, by=by)
    initial = reporting.record(case, "03", by=by)
    reporting.mark_sent(initial, by=by, at=detected + dt.timedelta(hours=3))
    casework.end_response(case, by=by, at=detected + dt.timedelta(days=2))
    closing = reporting.record(case, "04", by=by)
    reporting.mark_sent(closing, by=by, at=detected + dt.timedelta(days=4))
    casework.close(case, by=by, lessons="Chặn kết nối ra ngoài theo danh sách C2; cài lại máy.")


def _contacts() -> None:
    for kind, name, org, phone, email in CONTACTS:
        Contact.objects.get_or_create(
            unit=None,
            name=name,
            defaults={
                "kind": kind,
                "organisation": org,
                "phone": phone,
                "email": email,
                "valid_from": dt.date(2025, 3, 1),
            },
        )


def load() -> None:
    now = timezone.now()
    _contacts()
    _open_case(now)
    _closed_case(now)
    # The alerts demo's incident (a port scan) is an attempt at unauthorised access.
    Incident.objects.filter(kind="other", opened_from="", alerts__isnull=False).update(
        kind="intrusion"
    )


# Incident cases: one open with a late report, one closed with Mẫu 03 and Mẫu 04 sent.
demo.register("incidents", load, order=120)
