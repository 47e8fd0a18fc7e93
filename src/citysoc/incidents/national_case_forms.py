"""A case's national reports: Mẫu 03 (initial), Mẫu 04 (closing), and the notification,
progress, response-plan and assistance reports, which have no template in TT 20/2017 and
carry the fields the national portal kept for them."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from citysoc.alerts.models import Incident
from citysoc.incidents.national_form_parts import (
    FORMS,
    KIND_VI,
    TITLES,
    Field,
    FormDoc,
    Section,
    case_doc,
    contact_section,
    day_text,
    level_ticks,
    owner_name,
    reporter_section,
    system_facts,
    system_section,
    ticked,
    time_text,
)


def initial(incident: Incident, today: dt.date) -> FormDoc:
    """Mẫu 03: the initial report, sent at once when the incident is beyond own capacity."""
    unit = incident.unit
    detected = incident.detected
    method = incident.detection_method.lower()
    handled = incident.response_ended_at is not None
    informed = {r.form for r in incident.reports.exclude(sent_at=None)}
    description = incident.description or incident.title
    sections = (
        reporter_section(unit),
        contact_section(unit),
        system_section(incident),
        Section(
            "Thông tin về sự cố",
            (
                Field(
                    "Mô tả sơ bộ về sự cố",
                    f"{description}\nLoại sự cố: {KIND_VI[incident.kind]}",
                    True,
                ),
                Field("Ngày phát hiện sự cố (dd/mm/yyyy)", day_text(detected), True),
                Field("Thời gian phát hiện (giờ:phút)", time_text(detected), True),
                Field(
                    "Tình trạng sự cố",
                    f"{ticked(handled, 'Đã xử lý')}  {ticked(not handled, 'Chưa xử lý')}",
                    True,
                ),
                Field(
                    "Cách thức phát hiện",
                    "  ".join(
                        [
                            ticked(
                                "ids" in method or "giám sát" in method,
                                "Qua hệ thống phát hiện xâm nhập (IDS)",
                            ),
                            ticked(
                                "log" in method or "nhật ký" in method, "Kiểm tra dữ liệu nhật ký"
                            ),
                            ticked(
                                "thông báo" in method or "notified" in method,
                                "Được thông báo từ: …",
                            ),
                            ticked(
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
                            ticked(bool(informed), "Thành viên mạng lưới ứng cứu sự cố phụ trách"),
                            ticked(False, "Nhà cung cấp dịch vụ kết nối (ISP)"),
                            ticked(bool(informed), "Cơ quan điều phối quốc gia"),
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
                Field("Các địa chỉ IP công khai của hệ thống", system_facts(incident)[2]),
                Field("Các tên miền của hệ thống", system_facts(incident)[1]),
                Field("Mục đích chính sử dụng hệ thống", ""),
                Field(
                    "Thông tin gửi kèm (nhật ký, mẫu mã độc, khác)",
                    "; ".join(e.name for e in incident.evidence.all()),
                ),
                Field(
                    "Yêu cầu giữ bí mật thông tin",
                    f"{ticked(False, 'Có')}  {ticked(False, 'Không')}",
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
    return case_doc("03", incident, unit, today, sections)


def closing(incident: Incident, today: dt.date) -> FormDoc:
    """Mẫu 04: the closing report, within 5 days after the response ended."""
    unit = incident.unit
    first = incident.reports.filter(form="03").order_by("created_at").first()
    names, _domains, _ips, level = system_facts(incident)
    tasks = [t for t in incident.tasks.all() if t.done_at]
    handling = "\n".join(f"- {t.title}" for t in tasks)
    sections = (
        reporter_section(unit),
        Section(
            "Thông tin về sự cố",
            (
                Field("Số hiệu báo cáo ban đầu", f"#{first.pk}" if first else ""),
                Field(
                    "Ngày báo cáo ban đầu",
                    day_text(first.sent_at or first.created_at) if first else "",
                ),
                Field("Đơn vị vận hành hệ thống thông tin", unit.name, True),
                Field("Cơ quan chủ quản", owner_name(unit)),
                Field("Tên hệ thống thông tin bị sự cố", names),
                Field("Cấp độ an toàn hệ thống thông tin", level_ticks(level) if level else ""),
                Field(
                    "Tên, mô tả sự cố", f"{incident.title}. {incident.description}".strip(), True
                ),
                Field("Loại sự cố", KIND_VI[incident.kind]),
                Field(
                    "Ngày, giờ phát hiện sự cố",
                    f"{time_text(incident.detected)} ngày {day_text(incident.detected)}",
                    True,
                ),
                Field(
                    "Ngày, giờ kết thúc ứng phó",
                    _when(incident.response_ended_at),
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
    return case_doc("04", incident, unit, today, sections)


def free_text(form: str, incident: Incident, today: dt.date, text: str = "") -> FormDoc:
    """Notification, progress, response-plan or assistance report: the case's facts and a text."""
    unit = incident.unit
    names, domains, ips, _level = system_facts(incident)
    sections = (
        reporter_section(unit),
        Section(
            "Thông tin về sự cố",
            (
                Field("Tên hệ thống, tên miền", "; ".join(v for v in (names, domains) if v)),
                Field("Địa chỉ IP", ips),
                Field("Đơn vị vận hành, cơ quan chủ quản", f"{unit.name}; {owner_name(unit)}"),
                Field("Loại sự cố", KIND_VI[incident.kind]),
                Field(
                    "Thời điểm phát hiện",
                    f"{time_text(incident.detected)} ngày {day_text(incident.detected)}",
                    True,
                ),
                Field("Mô tả sự cố", incident.description or incident.title, True),
            ),
        ),
        Section("Nội dung báo cáo", (Field("Nội dung", text, True),)),
    )
    return case_doc(form, incident, unit, today, sections)


def build(form: str, incident: Incident, today: dt.date, text: str = "") -> FormDoc:
    """The case's form `form` (03, 04, notice, progress, plan, assistance)."""
    if form == "03":
        return initial(incident, today)
    if form == "04":
        return closing(incident, today)
    if form in TITLES and form != "05":
        return free_text(form, incident, today, text)
    raise ValueError(f"unknown form {form!r}: use one of {', '.join(FORMS)}")


def _when(value) -> str:
    """ "HH:MM ngày dd/mm/yyyy", or empty for a time not known yet."""
    return f"{time_text(value)} ngày {day_text(value)}" if value else ""
