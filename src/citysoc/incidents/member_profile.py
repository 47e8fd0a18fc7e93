"""Mẫu 01 / 02: a unit's profile for, or application to, the national response network."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from citysoc.core.models import Unit
from citysoc.incidents.national_form_parts import (
    Field,
    FormDoc,
    Section,
    owner_name,
    place_name,
    regime_note,
)
from citysoc.lib import bodies

PROFILE_TITLES = {
    "01": "BẢN KHAI HỒ SƠ THÀNH VIÊN MẠNG LƯỚI ỨNG CỨU SỰ CỐ AN TOÀN THÔNG TIN MẠNG QUỐC GIA",
    "02": "ĐƠN ĐĂNG KÝ THAM GIA MẠNG LƯỚI ỨNG CỨU SỰ CỐ AN TOÀN THÔNG TIN MẠNG QUỐC GIA",
}


def _systems_by_level(unit: Unit) -> tuple[tuple[str, ...], ...]:
    from citysoc.inventory.models import InformationSystem

    rows = InformationSystem.objects.filter(unit__path__startswith=unit.path)
    counts = Counter(rows.values_list("security_level", flat=True))
    names = {
        level: "; ".join(rows.filter(security_level=level).values_list("name", flat=True)[:20])
        for level in range(1, 6)
    }
    table = [("Cấp độ", "Số hệ thống", "Tên hệ thống")]
    table += [(f"Cấp độ {n}", str(counts.get(n, 0)), names[n]) for n in range(1, 6)]
    table.append(("Chưa xác định cấp độ", str(counts.get(None, 0)), ""))
    return tuple(table)


def _staff_section() -> Section:
    return Section(
        "Nhân lực (phụ lục)",
        (
            Field("Số lượng theo lĩnh vực (CNTT / an toàn thông tin / liên quan)", ""),
            Field("Số lượng theo trình độ (tiến sĩ, thạc sĩ, đại học, cao đẳng)", ""),
            Field("Chứng chỉ quốc tế / trong nước", ""),
            Field(
                "Số lượng theo nhóm năng lực (quản lý, phòng thủ, bảo vệ hệ thống và "
                "ứng dụng, kiểm tra đánh giá)",
                "",
            ),
            Field("Danh sách cán bộ (họ tên, trường, chuyên ngành, văn bằng, năm tốt nghiệp)", ""),
        ),
    )


def member_profile(unit: Unit, form: str, today: dt.date) -> FormDoc:
    """Mẫu 01 (member profile) or Mẫu 02 (membership request) of TT 20/2017 for `unit`."""
    if form not in PROFILE_TITLES:
        raise ValueError(f"unknown profile form {form!r}: use 01 or 02")
    org = Section(
        "Thông tin tổ chức",
        (
            Field("Tên cơ quan, tổ chức", unit.name, True),
            Field("Cơ quan chủ quản", owner_name(unit)),
            Field("Địa chỉ", unit.address, True),
            Field("Điện thoại", unit.phone, True),
            Field("Fax", ""),
            Field("Thư điện tử", unit.email, True),
            Field("Trang thông tin điện tử", ""),
            Field(
                "Lãnh đạo phụ trách an toàn thông tin (họ tên, chức vụ)", unit.security_lead_name
            ),
            Field("Mô tả năng lực, hoạt động ứng cứu sự cố", ""),
        ),
    )
    intake = Section(
        "Đầu mối tiếp nhận và ứng cứu sự cố (24/7)",
        (
            Field("Họ và tên", unit.incident_contact_name, True),
            Field("Chức vụ", ""),
            Field("Điện thoại (cố định / di động)", unit.incident_contact_phone, True),
            Field("Thư điện tử", unit.incident_contact_email, True),
            Field("Địa chỉ tiếp nhận sự cố", unit.address),
        ),
    )
    sections = [
        org,
        intake,
        Section("Danh sách hệ thống thông tin theo cấp độ", table=_systems_by_level(unit)),
    ]
    if form == "02":
        sections.append(
            Section(
                "Thông tin liên lạc bổ sung",
                (
                    Field("Khóa PGP của thư điện tử tổ chức (User ID, fingerprint, liên kết)", ""),
                    Field("Liên hệ trong giờ hành chính", unit.phone),
                    Field("Liên hệ ngoài giờ hành chính", unit.incident_contact_phone),
                    Field(
                        "Liên hệ lãnh đạo (khi không liên lạc được đầu mối, sự cố nghiêm trọng)",
                        unit.security_lead_phone,
                    ),
                    Field("Địa chỉ gửi thư", unit.address),
                    Field("Kênh liên lạc khác (không bắt buộc)", ""),
                ),
            )
        )
    sections.append(_staff_section())
    return FormDoc(
        form=form,
        form_label=f"Mẫu {form}",
        title=PROFILE_TITLES[form],
        subtitle=f"Thông tin tại ngày {today:%d/%m/%Y}",
        issuing_body=f"{owner_name(unit).upper()}\n{unit.name.upper()}"
        if unit.parent_id
        else unit.name.upper(),
        place=place_name(unit),
        date=today,
        recipients=(bodies.in_force("national_cert", today).name,),
        sections=tuple(sections),
        email_subject=f"{PROFILE_TITLES[form].capitalize()} – {unit.name}",
        note=regime_note(today),
    )
