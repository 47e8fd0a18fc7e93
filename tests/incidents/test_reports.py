"""National reports: each form made from a realistic case and read back from the DOCX."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document

from citysoc import cli
from citysoc.incidents import national_forms, opening, reporting
from tests.incidents.support import local, realistic_case

pytestmark = pytest.mark.django_db


def _cells(data: bytes) -> list[str]:
    doc = Document(io.BytesIO(data))
    return [cell.text for table in doc.tables for row in table.rows for cell in row.cells]


def _text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    return "\n".join([p.text for p in doc.paragraphs] + _cells(data))


def _field_values(data: bytes) -> dict[str, str]:
    doc = Document(io.BytesIO(data))
    found = {}
    for table in doc.tables:
        for row in table.rows:
            if len(row.cells) == 2:
                found[row.cells[0].text.removesuffix(" (*)")] = row.cells[1].text
    return found


def test_mau_03_through_the_cli_has_every_field_prefilled_or_marked(
    libraries, unit_a, officer_a, tmp_path, capsys
):
    incident = realistic_case(unit_a, officer_a)
    out = tmp_path / "mau03.docx"
    assert (
        cli.main(["incident", "report", str(incident.pk), "--form", "03", "--docx", str(out)]) == 0
    )
    assert "[TBSC]" in capsys.readouterr().out
    values = _field_values(out.read_bytes())
    form = national_forms.initial(incident, dt.date(2025, 3, 10))
    assert {f.label for f in form.all_fields()} <= set(values)  # every field of the form
    assert (
        values["Tên đơn vị/cá nhân"] == "Phường Bắc Sơn"
        or values["Tên đơn vị/cá nhân"] == unit_a.name
    )
    assert values["Địa chỉ"] == "Số 1 đường Quang Trung, phường Bắc Sơn"
    assert values["Họ và tên"] == "Nguyễn Văn Trực"
    assert values["Ngày phát hiện sự cố (dd/mm/yyyy)"] == "10/03/2025"
    assert values["Thời gian phát hiện (giờ:phút)"] == "08:30"
    assert values["Địa chỉ IP"] == "198.51.100.23"
    assert "[x] Cấp độ 3" in values["Cấp độ an toàn hệ thống thông tin"]
    assert "[x] Đã xử lý" in values["Tình trạng sự cố"]
    assert "[x] Qua hệ thống phát hiện xâm nhập (IDS)" in values["Cách thức phát hiện"]
    assert values["Hệ điều hành, phiên bản"] == national_forms.HAND  # left for hand filling
    text = _text(out.read_bytes())
    assert "BÁO CÁO BAN ĐẦU SỰ CỐ" in text and "Mẫu 03" in text
    assert "VNCERT/CC" in text and "Kính gửi:" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "[TBSC]" in text


def test_mau_04_carries_the_handling_the_lessons_and_the_initial_report(
    libraries, unit_a, officer_a
):
    incident = realistic_case(unit_a, officer_a)
    data = reporting.render(reporting.form_for(incident, "04"), "docx")
    values = _field_values(data)
    initial = incident.reports.get(form="03")
    assert values["Số hiệu báo cáo ban đầu"] == f"#{initial.pk}"
    assert values["Ngày báo cáo ban đầu"] == "10/03/2025"
    assert values["Bài học kinh nghiệm"] == "Cập nhật mã nguồn CMS; bật xác thực hai lớp."
    assert "Chụp màn hình" in values["Biện pháp đã xử lý"]  # the playbook's done tasks
    assert values["Ngày, giờ phát hiện sự cố"] == "08:30 ngày 10/03/2025"
    assert values["Loại sự cố"] == "Thay đổi giao diện"
    assert "[TBSC]" not in _text(data)


def test_mau_05_counts_the_half_year_by_type_and_by_who_handled(libraries, unit_a, officer_a):
    realistic_case(unit_a, officer_a)
    opening.open_by_hand(unit_a, by=officer_a, title="Mã độc", severity="high", kind="malware",
                         detected_at=local(2025, 4, 2))  # fmt: skip
    opening.open_by_hand(unit_a, by=officer_a, title="Năm sau", severity="low", kind="malware",
                         detected_at=local(2025, 8, 2))  # fmt: skip
    form = reporting.summary_for(unit_a, dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    data = reporting.render(form, "docx")
    rows = {row[1]: row for row in form.sections[1].table[1:]}
    assert rows["Thay đổi giao diện"][2:5] == ("1", "0", "1")  # count, self, with others
    assert rows["Tấn công sử dụng mã độc"][2:4] == ("1", "1")
    assert rows["Tổng cộng"][2] == "2"
    assert len(rows) == 11  # the ten Mẫu 05 types and the total
    text = _text(data)
    assert "06 THÁNG" in text and "Mã thành viên mạng lưới ứng cứu sự cố" in text
    assert "Gián đoạn 6 giờ" in text


def test_progress_and_assistance_reports_carry_their_text(libraries, unit_a, officer_a):
    incident = realistic_case(unit_a, officer_a)
    for form in ("progress", "assistance", "plan", "notice"):
        data = reporting.render(reporting.form_for(incident, form, text=f"Nội dung {form}"), "docx")
        assert _field_values(data)["Nội dung"] == f"Nội dung {form}"
    assert "[TBSC]" in reporting.form_for(incident, "notice").email_subject


def test_a_case_under_nd331_is_addressed_to_the_ministry_of_public_security(
    libraries, unit_a, officer_a
):
    incident = opening.open_by_hand(unit_a, by=officer_a, title="Rò rỉ dữ liệu", severity="high",
                                    kind="espionage", detected_at=local(2026, 9, 3))  # fmt: skip
    form = reporting.form_for(incident, "03")
    assert any("Bộ Công an" in r for r in form.recipients)
    assert "NĐ 331/2026" in form.note


def test_the_pdf_has_the_form_in_vietnamese_letters(libraries, unit_a, officer_a, tmp_path):
    incident = realistic_case(unit_a, officer_a)
    pdf = reporting.render(reporting.form_for(incident, "03"), "pdf")
    import pypdfium2

    doc = pypdfium2.PdfDocument(pdf)
    text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    assert "BÁO CÁO BAN ĐẦU SỰ CỐ" in text and "Nguyễn Văn Trực" in text
    assert "điền tay" in text


def test_an_unknown_incident_exits_2(capsys, tmp_path, db):
    assert (
        cli.main(["incident", "report", "999", "--form", "03", "--docx", str(tmp_path / "x")]) == 2
    )
    assert "no incident #999" in capsys.readouterr().err


def test_the_member_profile_lists_the_units_systems_by_level(unit_a, tmp_path, capsys):
    from tests import factories

    unit_a.incident_contact_name = "Nguyễn Văn Trực"
    unit_a.save()
    factories.make_system(unit_a, name="Một cửa điện tử", level=3)
    factories.make_system(unit_a, name="Thư điện tử", level=2)
    out = tmp_path / "mau01.docx"
    assert cli.main(["incident", "profile", unit_a.code, "--form", "02", "--docx", str(out)]) == 0
    doc = Document(io.BytesIO(out.read_bytes()))
    rows = {r.cells[0].text: [c.text for c in r.cells] for t in doc.tables for r in t.rows}
    assert rows["Cấp độ 3"][1:] == ["1", "Một cửa điện tử"]
    assert rows["Cấp độ 2"][1] == "1" and rows["Cấp độ 5"][1] == "0"
    values = _field_values(out.read_bytes())
    assert values["Họ và tên"] == "Nguyễn Văn Trực"
    assert (
        values["Khóa PGP của thư điện tử tổ chức (User ID, fingerprint, liên kết)"]
        == national_forms.HAND
    )
    assert "Mẫu 02" in _text(out.read_bytes())
