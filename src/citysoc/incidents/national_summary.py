"""Mẫu 05: the 6-monthly / yearly summary of incidents a unit received and handled."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.utils import timezone

from citysoc.alerts.models import Incident
from citysoc.core.models import Unit
from citysoc.incidents.national_form_parts import (
    KIND_VI,
    SUMMARY_COLUMNS,
    TITLES,
    Field,
    FormDoc,
    Section,
    owner_name,
    place_name,
    regime_note,
)
from citysoc.lib import bodies


def summary(
    unit: Unit, start: dt.date, end: dt.date, today: dt.date, *, member_code: str = ""
) -> FormDoc:
    """Mẫu 05: incidents received and handled by `unit` (and the units under it) in a period,
    one row per Mẫu 05 type, counted by who handled them."""
    handled = Incident.objects.filter(unit__path__startswith=unit.path, merged_into=None)
    cases = [c for c in handled if start <= timezone.localdate(c.detected) <= end]
    counts: dict[str, Counter] = {k: Counter() for k in KIND_VI}
    damage: dict[str, list[str]] = {k: [] for k in KIND_VI}
    for case in cases:
        counts[case.kind]["n"] += 1
        counts[case.kind][case.handling] += 1
        if case.damage:
            damage[case.kind].append(case.damage)
    header = tuple(SUMMARY_COLUMNS)
    rows = [header]
    for n, (kind, label) in enumerate(KIND_VI.items(), 1):
        c = counts[kind]
        rows.append(
            (
                str(n),
                label,
                str(c["n"]),
                str(c["self"]),
                str(c["domestic"]),
                str(c["foreign"]),
                str(c["national"]),
                "; ".join(damage[kind]),
            )
        )
    total = sum(c["n"] for c in counts.values())
    rows.append(
        (
            "",
            "Tổng cộng",
            str(total),
            *(
                str(sum(c[h] for c in counts.values()))
                for h in ("self", "domestic", "foreign", "national")
            ),
            "",
        )
    )
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    period = "01 năm" if months >= 12 else "06 tháng"
    sections = (
        Section(
            "Thông tin chung",
            (
                Field(
                    "Kỳ báo cáo",
                    f"{period}: từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}",
                    True,
                ),
                Field("Tên tổ chức", unit.name, True),
                Field("Địa chỉ", unit.address, True),
                Field("Mã thành viên mạng lưới ứng cứu sự cố", member_code),
            ),
        ),
        Section("Tình hình tiếp nhận và xử lý sự cố", table=tuple(rows)),
        Section(
            "Thông tin bổ sung",
            (
                Field("Danh sách tổ chức trong nước đã hỗ trợ", ""),
                Field("Danh sách tổ chức nước ngoài đã hỗ trợ", ""),
                Field("Kiến nghị, đề xuất", ""),
            ),
        ),
    )
    return FormDoc(
        form="05",
        form_label="Mẫu 05",
        title=f"{TITLES['05']} {period.upper()}",
        subtitle=f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}",
        issuing_body=f"{owner_name(unit).upper()}\n{unit.name.upper()}"
        if unit.parent_id
        else unit.name.upper(),
        place=place_name(unit),
        date=today,
        recipients=(
            bodies.in_force("national_cert", end).name,
            bodies.in_force("provincial_security", end).name,
        ),
        sections=sections,
        email_subject=f"Báo cáo tổng hợp sự cố {period} – {unit.name}",
        note=regime_note(end),
    )


def half_year(day: dt.date) -> tuple[dt.date, dt.date]:
    """The half-year a 20/06 or 15/12 summary covers, for a report made on `day`."""
    if day.month <= 6:
        return dt.date(day.year, 1, 1), dt.date(day.year, 6, 30)
    return dt.date(day.year, 7, 1), dt.date(day.year, 12, 31)
