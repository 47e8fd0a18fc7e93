"""The national report forms as data, pre-filled from a case or a unit's period: every field
of the form, the empty ones marked for hand filling.

TT 20/2017/TT-BTTTT Phụ lục I: Mẫu 03 (initial report), Mẫu 04 (closing report), Mẫu 05
(6-monthly / yearly summary); the progress, response-plan and assistance reports and the
notification have no template in the circular and carry the fields the national portal
kept for them (organisation, address, phone, e-mail, description, date). From 19/08/2026
NĐ 331/2026 sets the clocks but no Ministry of Public Security form exists yet: the same
forms are made, recipients follow the rules in force on the detection day, and the form
says so. `report_docx` and `report_pdf` draw a `FormDoc` the same way.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
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


def _date(value: dt.datetime | None) -> str:
    return f"{timezone.localtime(value):%d/%m/%Y}" if value else ""


def _time(value: dt.datetime | None) -> str:
    return f"{timezone.localtime(value):%H:%M}" if value else ""


def _tick(yes: bool, label: str) -> str:
    return f"{TICK if yes else NO_TICK} {label}"


def _owner(unit: Unit) -> str:
    parent = unit.parent
    return parent.name if parent else unit.name


def _place(unit: Unit) -> str:
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
        found.append(_owner(incident.unit))
    return tuple(dict.fromkeys(found))


def _regime_note(day: dt.date) -> str:
    if day >= serious.NEW_REGIME_FROM:
        return (
            "Biểu mẫu theo Thông tư 20/2017/TT-BTTTT; NĐ 331/2026/NĐ-CP (Điều 31 khoản 2 điểm d) "
            "chưa kèm biểu mẫu báo cáo sự cố của Bộ Công an."
        )
    return "Biểu mẫu theo Thông tư 20/2017/TT-BTTTT, Phụ lục I."


def _reporter(unit: Unit) -> Section:
    return Section(
        "Thông tin về đơn vị/cá nhân báo cáo sự cố",
        (
            Field("Tên đơn vị/cá nhân", unit.name, True),
            Field("Địa chỉ", unit.address, True),
            Field("Điện thoại", unit.phone or unit.incident_contact_phone, True),
            Field("Thư điện tử", unit.email or unit.incident_contact_email, True),
        ),
    )


def _contact(unit: Unit) -> Section:
    return Section(
        "Thông tin người liên hệ",
        (
            Field("Họ và tên", unit.incident_contact_name or unit.security_lead_name, True),
            Field("Chức vụ", ""),
            Field("Điện thoại", unit.incident_contact_phone or unit.security_lead_phone, True),
            Field("Thư điện tử", unit.incident_contact_email or unit.security_lead_email, True),
        ),
    )


def _systems(incident: Incident) -> tuple[str, str, str, str]:
    systems = list(incident.systems.all())
    names = "; ".join(s.name for s in systems)
    addresses = "; ".join(s.addresses for s in systems if s.addresses)
    obs = list(incident.observables.all())
    domains = "; ".join(o.value for o in obs if o.kind == "domain") or addresses
    ips = "; ".join(o.value for o in obs if o.kind == "ip")
    levels = sorted({s.level for s in systems if s.level})
    level = ", ".join(str(v) for v in levels)
    return names, domains, ips, level


def _level_ticks(level: str) -> str:
    chosen = {int(v) for v in level.split(", ") if v}
    return "  ".join(_tick(n in chosen, f"Cấp độ {n}") for n in range(1, 6))


def _system_section(incident: Incident) -> Section:
    names, domains, ips, level = _systems(incident)
    return Section(
        "Thông tin về hệ thống thông tin bị sự cố",
        (
            Field("Đơn vị vận hành hệ thống thông tin", incident.unit.name, True),
            Field("Cơ quan chủ quản", _owner(incident.unit)),
            Field("Tên hệ thống thông tin", names),
            Field("Tên miền", domains),
            Field("Địa chỉ IP", ips),
            Field("Cấp độ an toàn hệ thống thông tin", _level_ticks(level) if level else ""),
            Field("Đơn vị cung cấp dịch vụ bảo đảm an toàn thông tin", ""),
            Field("Đơn vị cung cấp dịch vụ kết nối (ISP)", ""),
        ),
    )


def _subject(form: str, incident: Incident | None, unit: Unit) -> str:
    what = TITLES[form].capitalize()
    name = f"{what} – {unit.name}"
    if incident is not None:
        name += f" – {incident.title}"
    return f"[TBSC] {name}" if form in TBSC_FORMS else name


def initial(incident: Incident, today: dt.date) -> FormDoc:
    """Mẫu 03: the initial report, sent at once when the incident is beyond own capacity."""
    unit = incident.unit
    detected = incident.detected
    method = incident.detection_method.lower()
    handled = incident.response_ended_at is not None
    informed = {r.form for r in incident.reports.exclude(sent_at=None)}
    description = incident.description or incident.title
    sections = (
        _reporter(unit),
        _contact(unit),
        _system_section(incident),
        Section(
            "Thông tin về sự cố",
            (
                Field(
                    "Mô tả sơ bộ về sự cố",
                    f"{description}\nLoại sự cố: {KIND_VI[incident.kind]}",
                    True,
                ),
                Field("Ngày phát hiện sự cố (dd/mm/yyyy)", _date(detected), True),
                Field("Thời gian phát hiện (giờ:phút)", _time(detected), True),
                Field(
                    "Tình trạng sự cố",
                    f"{_tick(handled, 'Đã xử lý')}  {_tick(not handled, 'Chưa xử lý')}",
                    True,
                ),
                Field(
                    "Cách thức phát hiện",
                    "  ".join(
                        [
                            _tick(
                                "ids" in method or "giám sát" in method,
                                "Qua hệ thống phát hiện xâm nhập (IDS)",
                            ),
                            _tick(
                                "log" in method or "nhật ký" in method, "Kiểm tra dữ liệu nhật ký"
                            ),
                            _tick(
                                "thông báo" in method or "notified" in method,
                                "Được thông báo từ: …",
                            ),
                            _tick(
                                bool(method)
                                and not any(
                                    k in method
                                    for k in (
                                        "ids",
                                        "giám sát",
                                        "log",
                                        "nhật ký",
                                        "thông báo",
                                        "notified",
                                    )
                                ),
                                f"Khác: {incident.detection_method}",
                            ),
                        ]
                    ),
                    True,
                ),
                Field(
                    "Đã thông báo sự cố cho",
                    "  ".join(
                        [
                            _tick(bool(informed), "Thành viên mạng lưới ứng cứu sự cố phụ trách"),
                            _tick(False, "Nhà cung cấp dịch vụ kết nối (ISP)"),
                            _tick(bool(informed), "Cơ quan điều phối quốc gia"),
                        ]
                    ),
                    True,
                ),
            ),
        ),
        Section(
            "Thông tin bổ sung về hệ thống bị sự cố",
            (
                Field("Hệ điều hành, phiên bản", ""),
                Field("Các dịch vụ có trên hệ thống (web, thư điện tử, cơ sở dữ liệu, khác)", ""),
                Field(
                    "Các biện pháp bảo đảm an toàn đã triển khai "
                    "(phòng chống mã độc, tường lửa, IDS, khác)",
                    "",
                ),
                Field("Các địa chỉ IP công khai của hệ thống", _systems(incident)[2]),
                Field("Các tên miền của hệ thống", _systems(incident)[1]),
                Field("Mục đích chính sử dụng hệ thống", ""),
                Field(
                    "Thông tin gửi kèm (nhật ký, mẫu mã độc, khác)",
                    "; ".join(e.name for e in incident.evidence.all()),
                ),
                Field(
                    "Yêu cầu giữ bí mật thông tin", f"{_tick(False, 'Có')}  {_tick(False, 'Không')}"
                ),
                Field("Kiến nghị, đề xuất hỗ trợ", ""),
            ),
        ),
        Section(
            "Thời gian báo cáo",
            (
                Field(
                    "Ngày giờ báo cáo", f"{timezone.localtime():%H:%M} ngày {today:%d/%m/%Y}", True
                ),
            ),
        ),
    )
    return _doc("03", incident, unit, today, sections)


def closing(incident: Incident, today: dt.date) -> FormDoc:
    """Mẫu 04: the closing report, within 5 days after the response ended."""
    unit = incident.unit
    first = incident.reports.filter(form="03").order_by("created_at").first()
    names, _domains, _ips, level = _systems(incident)
    tasks = [t for t in incident.tasks.all() if t.done_at]
    handling = "\n".join(f"- {t.title}" for t in tasks)
    sections = (
        _reporter(unit),
        Section(
            "Thông tin về sự cố",
            (
                Field("Số hiệu báo cáo ban đầu", f"#{first.pk}" if first else ""),
                Field(
                    "Ngày báo cáo ban đầu",
                    _date(first.sent_at or first.created_at) if first else "",
                ),
                Field("Đơn vị vận hành hệ thống thông tin", unit.name, True),
                Field("Cơ quan chủ quản", _owner(unit)),
                Field("Tên hệ thống thông tin bị sự cố", names),
                Field("Cấp độ an toàn hệ thống thông tin", _level_ticks(level) if level else ""),
                Field(
                    "Tên, mô tả sự cố", f"{incident.title}. {incident.description}".strip(), True
                ),
                Field("Loại sự cố", KIND_VI[incident.kind]),
                Field(
                    "Ngày, giờ phát hiện sự cố",
                    f"{_time(incident.detected)} ngày {_date(incident.detected)}",
                    True,
                ),
                Field(
                    "Ngày, giờ kết thúc ứng phó",
                    f"{_time(incident.response_ended_at)} ngày {_date(incident.response_ended_at)}"
                    if incident.response_ended_at
                    else "",
                ),
            ),
        ),
        Section(
            "Kết quả xử lý sự cố",
            (
                Field("Diễn biến, nguyên nhân sự cố", incident.description),
                Field("Biện pháp đã xử lý", handling),
                Field("Bài học kinh nghiệm", incident.lessons),
                Field("Ước tính thiệt hại", incident.damage),
            ),
        ),
        Section(
            "Tài liệu kèm theo",
            (
                Field(
                    "Báo cáo diễn biến, phương án ứng cứu",
                    "; ".join(
                        f"{r.get_form_display()} #{r.pk}"
                        for r in incident.reports.filter(form__in=["progress", "plan"])
                    ),
                ),
                Field("Nhật ký, chứng cứ", "; ".join(e.name for e in incident.evidence.all())),
            ),
        ),
    )
    return _doc("04", incident, unit, today, sections)


def free_text(form: str, incident: Incident, today: dt.date, text: str = "") -> FormDoc:
    """Notification, progress, response-plan or assistance report: the case's facts and a text."""
    unit = incident.unit
    names, domains, ips, _level = _systems(incident)
    sections = (
        _reporter(unit),
        Section(
            "Thông tin về sự cố",
            (
                Field("Tên hệ thống, tên miền", "; ".join(v for v in (names, domains) if v)),
                Field("Địa chỉ IP", ips),
                Field("Đơn vị vận hành, cơ quan chủ quản", f"{unit.name}; {_owner(unit)}"),
                Field("Loại sự cố", KIND_VI[incident.kind]),
                Field(
                    "Thời điểm phát hiện",
                    f"{_time(incident.detected)} ngày {_date(incident.detected)}",
                    True,
                ),
                Field("Mô tả sự cố", incident.description or incident.title, True),
            ),
        ),
        Section("Nội dung báo cáo", (Field("Nội dung", text, True),)),
    )
    return _doc(form, incident, unit, today, sections)


def _doc(form: str, incident: Incident, unit: Unit, today: dt.date, sections) -> FormDoc:
    return FormDoc(
        form=form,
        form_label=FORM_LABELS.get(form, ""),
        title=TITLES[form],
        subtitle=f"Sự cố: {incident.title} (mã citysoc #{incident.pk})",
        issuing_body=f"{_owner(unit).upper()}\n{unit.name.upper()}"
        if unit.parent_id
        else unit.name.upper(),
        place=_place(unit),
        date=today,
        recipients=recipients(incident),
        sections=sections,
        email_subject=_subject(form, incident, unit),
        note=_regime_note(timezone.localdate(incident.detected)),
    )


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
        issuing_body=f"{_owner(unit).upper()}\n{unit.name.upper()}"
        if unit.parent_id
        else unit.name.upper(),
        place=_place(unit),
        date=today,
        recipients=(
            bodies.in_force("national_cert", end).name,
            bodies.in_force("provincial_security", end).name,
        ),
        sections=sections,
        email_subject=f"Báo cáo tổng hợp sự cố {period} – {unit.name}",
        note=_regime_note(end),
    )


def build(form: str, incident: Incident, today: dt.date, text: str = "") -> FormDoc:
    """The case's form `form` (03, 04, notice, progress, plan, assistance)."""
    if form == "03":
        return initial(incident, today)
    if form == "04":
        return closing(incident, today)
    if form in TITLES and form != "05":
        return free_text(form, incident, today, text)
    raise ValueError(f"unknown form {form!r}: use one of {', '.join(FORMS)}")


def half_year(day: dt.date) -> tuple[dt.date, dt.date]:
    """The half-year a 20/06 or 15/12 summary covers, for a report made on `day`."""
    if day.month <= 6:
        return dt.date(day.year, 1, 1), dt.date(day.year, 6, 30)
    return dt.date(day.year, 7, 1), dt.date(day.year, 12, 31)


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
            Field("Cơ quan chủ quản", _owner(unit)),
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
        issuing_body=f"{_owner(unit).upper()}\n{unit.name.upper()}"
        if unit.parent_id
        else unit.name.upper(),
        place=_place(unit),
        date=today,
        recipients=(bodies.in_force("national_cert", today).name,),
        sections=tuple(sections),
        email_subject=f"{PROFILE_TITLES[form].capitalize()} – {unit.name}",
        note=_regime_note(today),
    )
