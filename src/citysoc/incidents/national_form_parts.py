"""What every national report form shares: the form as data, its header and the sections
each form repeats (reporter, contact, the system hit), filled from a unit and a case.

`FormDoc` is what `report_docx` and `report_pdf` draw; a field left empty is shown as
`HAND`, for hand filling. The forms themselves are in `national_case_forms` (a case's
reports), `national_summary` (Mẫu 05) and `member_profile` (Mẫu 01/02); `national_forms`
gathers them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from citysoc.alerts.models import Incident
from citysoc.core.models import Unit
from citysoc.incidents import deadlines, serious
from citysoc.lib import bodies

HAND = "…………………… (điền tay)"
# Plain brackets: the serif fonts shipped for PDF have no ballot-box glyphs.
TICK, NO_TICK = "[x]", "[  ]"
FORMS = ("03", "04", "05", "notice", "progress", "plan", "assistance")
TITLES = {
    "03": "BÁO CÁO BAN ĐẦU SỰ CỐ AN TOÀN THÔNG TIN MẠNG",
    "04": "BÁO CÁO KẾT THÚC ỨNG PHÓ SỰ CỐ AN TOÀN THÔNG TIN MẠNG",
    "05": "BÁO CÁO TỔNG HỢP TIẾP NHẬN VÀ XỬ LÝ SỰ CỐ AN TOÀN THÔNG TIN MẠNG",
    "notice": "THÔNG BÁO SỰ CỐ AN TOÀN THÔNG TIN MẠNG",
    "progress": "BÁO CÁO DIỄN BIẾN TÌNH HÌNH SỰ CỐ",
    "plan": "BÁO CÁO PHƯƠNG ÁN ỨNG CỨU SỰ CỐ CỤ THỂ",
    "assistance": "BÁO CÁO ĐỀ NGHỊ HỖ TRỢ, PHỐI HỢP ỨNG CỨU SỰ CỐ",
}
FORM_LABELS = {"03": "Mẫu 03", "04": "Mẫu 04", "05": "Mẫu 05"}
# TT 20 Mẫu 03 note: an e-mailed notification's subject starts with [TBSC].
TBSC_FORMS = {"03", "notice"}
KIND_VI = {
    "dos": "Từ chối dịch vụ (DoS, DDoS)",
    "phishing": "Tấn công giả mạo",
    "malware": "Tấn công sử dụng mã độc",
    "intrusion": "Truy cập trái phép, chiếm quyền điều khiển",
    "defacement": "Thay đổi giao diện",
    "ransomware": "Mã hóa phần mềm, dữ liệu, thiết bị",
    "destruction": "Phá hoại thông tin, dữ liệu, phần mềm",
    "espionage": "Nghe trộm, gián điệp, lấy cắp thông tin, dữ liệu",
    "combined": "Tấn công tổng hợp",
    "other": "Khác",
}
SUMMARY_COLUMNS = [
    "TT",
    "Loại sự cố",
    "Số lượng",
    "Tự xử lý",
    "Có hỗ trợ của tổ chức khác",
    "Có hỗ trợ của nước ngoài",
    "Đề nghị cơ quan điều phối hỗ trợ",
    "Ước tính thiệt hại",
]
HANDLING_COLUMN = {"self": 3, "domestic": 4, "foreign": 5, "national": 6}


@dataclass(frozen=True)
class Field:
    label: str
    value: str
    required: bool = False

    @property
    def shown(self) -> str:
        return self.value.strip() or HAND


@dataclass(frozen=True)
class Section:
    title: str
    fields: tuple[Field, ...] = ()
    table: tuple[tuple[str, ...], ...] = ()  # header row first


@dataclass(frozen=True)
class FormDoc:
    """One form ready to draw: header, title, recipients, numbered sections, signature."""

    form: str
    form_label: str
    title: str
    subtitle: str
    issuing_body: str
    place: str
    date: dt.date
    recipients: tuple[str, ...]
    sections: tuple[Section, ...]
    email_subject: str
    note: str = ""
    signer_lines: tuple[str, ...] = ("THỦ TRƯỞNG ĐƠN VỊ",)
    signer_name: str = ""
    copies_to: tuple[str, ...] = field(default=("Lưu: VT.",))

    def all_fields(self) -> list[Field]:
        return [f for s in self.sections for f in s.fields]


def day_text(value: dt.datetime | None) -> str:
    return f"{timezone.localtime(value):%d/%m/%Y}" if value else ""


def time_text(value: dt.datetime | None) -> str:
    return f"{timezone.localtime(value):%H:%M}" if value else ""


def ticked(yes: bool, label: str) -> str:
    return f"{TICK if yes else NO_TICK} {label}"


def owner_name(unit: Unit) -> str:
    parent = unit.parent
    return parent.name if parent else unit.name


def place_name(unit: Unit) -> str:
    root = unit
    while root.parent is not None:
        root = root.parent
    name = root.name
    for prefix in ("Thành phố ", "Tỉnh ", "Huyện ", "Thị xã "):
        name = name.removeprefix(prefix)
    return name


def recipients(incident: Incident) -> tuple[str, ...]:
    """Whom the case reports to under the rules in force on its detection day: the clocks'
    recipients, else the national coordinator and the provincial security body of that day."""
    day = timezone.localdate(incident.detected)
    found = [c.get("to", "") for d in deadlines.clock_duties(day) for c in d.clocks]
    found = list(dict.fromkeys(t for t in found if t))
    if not found:
        found = [bodies.in_force("national_cert", day).name]
    found.append(bodies.in_force("provincial_security", day).name)
    if incident.unit.parent_id:
        found.append(owner_name(incident.unit))
    return tuple(dict.fromkeys(found))


def regime_note(day: dt.date) -> str:
    if day >= serious.NEW_REGIME_FROM:
        return (
            "Biểu mẫu theo Thông tư 20/2017/TT-BTTTT; NĐ 331/2026/NĐ-CP (Điều 31 khoản 2 điểm d) "
            "chưa kèm biểu mẫu báo cáo sự cố của Bộ Công an."
        )
    return "Biểu mẫu theo Thông tư 20/2017/TT-BTTTT, Phụ lục I."


def reporter_section(unit: Unit) -> Section:
    return Section(
        "Thông tin về đơn vị/cá nhân báo cáo sự cố",
        (
            Field("Tên đơn vị/cá nhân", unit.name, True),
            Field("Địa chỉ", unit.address, True),
            Field("Điện thoại", unit.phone or unit.incident_contact_phone, True),
            Field("Thư điện tử", unit.email or unit.incident_contact_email, True),
        ),
    )


def contact_section(unit: Unit) -> Section:
    return Section(
        "Thông tin người liên hệ",
        (
            Field("Họ và tên", unit.incident_contact_name or unit.security_lead_name, True),
            Field("Chức vụ", ""),
            Field("Điện thoại", unit.incident_contact_phone or unit.security_lead_phone, True),
            Field("Thư điện tử", unit.incident_contact_email or unit.security_lead_email, True),
        ),
    )


def system_facts(incident: Incident) -> tuple[str, str, str, str]:
    systems = list(incident.systems.all())
    names = "; ".join(s.name for s in systems)
    addresses = "; ".join(s.addresses for s in systems if s.addresses)
    obs = list(incident.observables.all())
    domains = "; ".join(o.value for o in obs if o.kind == "domain") or addresses
    ips = "; ".join(o.value for o in obs if o.kind == "ip")
    levels = sorted({s.level for s in systems if s.level})
    level = ", ".join(str(v) for v in levels)
    return names, domains, ips, level


def level_ticks(level: str) -> str:
    chosen = {int(v) for v in level.split(", ") if v}
    return "  ".join(ticked(n in chosen, f"Cấp độ {n}") for n in range(1, 6))


def system_section(incident: Incident) -> Section:
    names, domains, ips, level = system_facts(incident)
    return Section(
        "Thông tin về hệ thống thông tin bị sự cố",
        (
            Field("Đơn vị vận hành hệ thống thông tin", incident.unit.name, True),
            Field("Cơ quan chủ quản", owner_name(incident.unit)),
            Field("Tên hệ thống thông tin", names),
            Field("Tên miền", domains),
            Field("Địa chỉ IP", ips),
            Field("Cấp độ an toàn hệ thống thông tin", level_ticks(level) if level else ""),
            Field("Đơn vị cung cấp dịch vụ bảo đảm an toàn thông tin", ""),
            Field("Đơn vị cung cấp dịch vụ kết nối (ISP)", ""),
        ),
    )


def email_subject_of(form: str, incident: Incident | None, unit: Unit) -> str:
    what = TITLES[form].capitalize()
    name = f"{what} – {unit.name}"
    if incident is not None:
        name += f" – {incident.title}"
    return f"[TBSC] {name}" if form in TBSC_FORMS else name


def case_doc(form: str, incident: Incident, unit: Unit, today: dt.date, sections) -> FormDoc:
    return FormDoc(
        form=form,
        form_label=FORM_LABELS.get(form, ""),
        title=TITLES[form],
        subtitle=f"Sự cố: {incident.title} (mã citysoc #{incident.pk})",
        issuing_body=f"{owner_name(unit).upper()}\n{unit.name.upper()}"
        if unit.parent_id
        else unit.name.upper(),
        place=place_name(unit),
        date=today,
        recipients=recipients(incident),
        sections=sections,
        email_subject=email_subject_of(form, incident, unit),
        note=regime_note(timezone.localdate(incident.detected)),
    )
