import datetime as dt
import io
from zoneinfo import ZoneInfo

import docx
import pypdfium2
import pytest

from citysoc.duty.models import Handover, LogEntry

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def entry_posted(client, officer_a, unit_a, duty_people):
    client.force_login(officer_a)
    response = client.post(
        "/duty/log/",
        {
            "entry-unit": unit_a.pk,
            "entry-at": "29/01/2025 08:30",
            "entry-checked": "Kiểm tra hệ thống giám sát tập trung, tường lửa",
            "entry-seen": "01 máy trạm một cửa có cảnh báo mã độc",
            "entry-done": "Cách ly máy, quét virus, báo cáo lãnh đạo",
        },
    )
    assert response.status_code == 302
    return LogEntry.objects.get()


def test_an_entry_is_written_and_shown(client, entry_posted, duty_people):
    assert entry_posted.at == dt.datetime(2025, 1, 29, 8, 30, tzinfo=VN)
    assert entry_posted.person == duty_people["hai"]  # the writer's own person in the unit
    page = client.get("/duty/log/?first=28/01/2025&last=30/01/2025").content.decode()
    assert "01 máy trạm một cửa có cảnh báo mã độc" in page


def test_an_empty_entry_is_refused_with_the_field_named(client, officer_a, unit_a):
    client.force_login(officer_a)
    response = client.post("/duty/log/", {"entry-unit": unit_a.pk, "entry-at": "29/01/2025 08:30"})
    assert response.status_code == 200
    assert response.context["entry_form"].errors["checked"]
    assert not LogEntry.objects.exists()


@pytest.mark.parametrize("typed", ["29/01/0379 08:30", "29/01/2099 08:30"])
def test_a_time_in_year_379_or_the_future_is_refused_on_the_page(client, officer_a, unit_a, typed):
    client.force_login(officer_a)
    response = client.post(
        "/duty/log/", {"entry-unit": unit_a.pk, "entry-at": typed, "entry-checked": "tường lửa"}
    )
    assert response.status_code == 200
    assert response.context["entry_form"].errors["at"]
    assert not LogEntry.objects.exists()


def test_a_viewer_cannot_write(client, viewer_a, unit_a):
    client.force_login(viewer_a)
    response = client.post("/duty/log/", {"entry-unit": unit_a.pk, "entry-checked": "x"})
    assert response.status_code == 403


def test_handover_is_acknowledged_by_the_incoming_person_only(
    client, officer_a, operator_a, unit_a, duty_people
):
    client.force_login(officer_a)
    response = client.post(
        "/duty/handovers/new/",
        {
            "unit": unit_a.pk,
            "at": "29/01/2025 19:00",
            "from_person": duty_people["hai"].pk,
            "to_person": duty_people["mai"].pk,
            "note": "Máy trạm một cửa đã cách ly, chờ quét lại",
        },
    )
    handover = Handover.objects.get()
    assert response.url == f"/duty/handovers/{handover.pk}/"
    assert client.post(response.url).status_code == 403  # the outgoing person cannot
    client.force_login(operator_a)
    client.post(response.url)
    handover.refresh_from_db()
    assert handover.acknowledged_at is not None and handover.acknowledged_by == operator_a


def _handover(unit_a, duty_people, **extra):
    return Handover.objects.create(
        unit=unit_a,
        at=dt.datetime(2025, 1, 29, 19, tzinfo=VN),
        from_person=duty_people["hai"],
        to_person=duty_people["lam"],
        note="Bàn giao: hệ thống bình thường, chú ý máy một cửa",
        **extra,
    )


def test_the_docx_export_has_the_entries_and_handovers(client, entry_posted, unit_a, duty_people):
    _handover(unit_a, duty_people)
    response = client.get(
        f"/duty/log/export.docx?unit={unit_a.pk}&first=29/01/2025&last=29/01/2025"
    )
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "SỔ NHẬT KÝ TRỰC" in text
    assert "Từ ngày 29/01/2025 đến ngày 29/01/2025" in text
    assert "Kiểm tra hệ thống giám sát tập trung, tường lửa" in cells
    assert "08:30 29/01/2025" in cells
    assert "Bàn giao: hệ thống bình thường, chú ý máy một cửa" in cells
    assert "Chưa xác nhận" in cells


def test_the_period_limits_the_export(client, entry_posted, unit_a):
    response = client.get(
        f"/duty/log/export.docx?unit={unit_a.pk}&first=30/01/2025&last=31/01/2025"
    )
    document = docx.Document(io.BytesIO(response.content))
    assert "Không có nội dung ghi nhật ký trong thời gian này." in [
        p.text for p in document.paragraphs
    ]


def test_the_pdf_export_renders_vietnamese(client, entry_posted, unit_a, duty_people):
    _handover(unit_a, duty_people)
    response = client.get(f"/duty/log/export.pdf?unit={unit_a.pk}&first=29/01/2025&last=29/01/2025")
    assert response["Content-Type"] == "application/pdf"
    pdf = pypdfium2.PdfDocument(response.content)
    assert len(pdf) >= 1
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    for phrase in ("SỔ NHẬT KÝ TRỰC", "cảnh báo mã độc", "Bàn giao ca trực", "Đỗ Văn Lâm"):
        assert phrase in " ".join(text.split()), phrase
