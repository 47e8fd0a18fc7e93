"""ISP requests: the city sends, the ISP liaison acknowledges, answers and proves; overdue
requests escalate; each request exports as an official letter."""

from __future__ import annotations

import datetime as dt
import io
from email.header import decode_header, make_header

import docx
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from citysoc.alerts.models import Alert
from citysoc.intel import importing
from citysoc.intel.models import Sighting
from citysoc.isps import escalation, requesting
from citysoc.isps.models import IspRequest, IspRequestItem
from citysoc.notify import outbox
from tests import factories

pytestmark = pytest.mark.usefixtures("english")


def _due(hours: int = 24):
    return (timezone.now() + dt.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


def test_a_request_round_trip_with_the_isp_liaison(
    client_as, city_admin, isp_liaison, isp, smtp, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    city = client_as(city_admin)
    response = city.post(
        "/isps/new/",
        {
            "isp": isp.pk,
            "kind": "block",
            "subject": "Chặn máy chủ C2",
            "body": "Gấp",
            "due_at": _due(),
            "lines": "203.0.113.9 C2 Mirai\nbad.example\nhttps://bad.example/x",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    request = IspRequest.objects.get()
    assert [i.kind for i in request.items.all()] == ["ip", "domain", "url"]
    outbox.send_due()
    assert [m["To"] for m in smtp] == ["liaison@example.gov.vn"]
    assert f"/isps/requests/{request.pk}/" in smtp[0].get_payload(decode=True).decode()

    liaison = client_as(isp_liaison)
    page = f"/isps/requests/{request.pk}/"
    liaison.post(page, {"action": "acknowledge"})
    request.refresh_from_db()
    assert request.status == "acknowledged" and request.acknowledged_at
    items = list(request.items.all())
    liaison.post(page, {"action": "answer", "item": items[0].pk, "answer": "done"})
    liaison.post(page, {"action": "answer", "item": items[1].pk, "answer": "not_possible"})
    assert IspRequestItem.objects.get(pk=items[1].pk).answer == "pending"  # no reason given
    liaison.post(
        page,
        {
            "action": "answer",
            "item": items[1].pk,
            "answer": "not_possible",
            "comment": "Not our DNS",
        },
    )
    liaison.post(page, {"action": "proof", "file": SimpleUploadedFile("acl.txt", b"deny 203")})
    api = liaison.post(
        f"/api/isp-requests/{request.pk}/answer/",
        {"item": items[2].pk, "answer": "done"},
        content_type="application/json",
    )
    assert api.status_code == 200 and api.json()["status"] == "answered"
    assert request.proofs.get().filename == "acl.txt"

    letter = city.get(f"/isps/requests/{request.pk}/letter.docx")
    document = docx.Document(io.BytesIO(letter.content))
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        c.text for t in document.tables for r in t.rows for c in r.cells
    )
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Kính gửi: VNPT Ninh Bình" in text
    assert "Không thực hiện được: Not our DNS" in text


def test_a_ward_officer_cannot_send_or_see_requests(client_as, officer_a, isp, city_admin):
    request = requesting.send(
        isp,
        kind="block",
        subject="x",
        due_at=timezone.now(),
        lines=requesting.parse_lines("block", "203.0.113.9"),
        by=city_admin,
    )
    client = client_as(officer_a)
    assert client.get("/isps/new/").status_code == 403
    assert client.get(f"/isps/requests/{request.pk}/").status_code == 404
    assert client.get("/api/isp-requests/").json()["count"] == 0
    response = client.post(
        "/api/isp-requests/",
        {
            "unit": "isp-vnpt",
            "kind": "block",
            "subject": "x",
            "due_at": timezone.now().isoformat(),
            "lines": ["203.0.113.9"],
        },
        content_type="application/json",
    )
    assert response.status_code == 403


def test_bad_lines_are_named_and_nothing_is_sent(client_as, city_admin, isp):
    response = client_as(city_admin).post(
        "/isps/new/",
        {
            "isp": isp.pk,
            "kind": "subscribers",
            "subject": "x",
            "due_at": _due(),
            "lines": "203.0.113.9\nnot-an-ip\n",
        },
    )
    assert response.status_code == 200
    assert "Line 2 (not-an-ip)" in response.content.decode()
    assert not IspRequest.objects.exists()


def test_the_subscriber_request_is_prefilled_from_unattributed_sightings(
    client_as, city_admin, isp, isp_liaison
):
    factories.make_range(isp, "203.0.113.0/24")
    source = importing.source_named("Botnet")
    version, _ = importing.receive(source, b"203.0.113.50\n", "list.txt")
    importing.process(version)
    assert Sighting.objects.filter(unit=isp, attributed=False).count() == 1
    client = client_as(city_admin)
    form = client.get(f"/isps/new/?kind=subscribers&isp={isp.pk}").content.decode()
    assert "203.0.113.50" in form
    client.post(
        "/isps/new/",
        {
            "isp": isp.pk,
            "kind": "subscribers",
            "subject": "Thuê bao",
            "due_at": _due(),
            "lines": "203.0.113.50",
        },
    )
    item = IspRequestItem.objects.get()
    assert item.kind == "subscriber" and item.sighting is not None
    assert requesting.unattributed_lines(isp) == []  # not offered twice
    answer = client_as(isp_liaison).post(
        f"/api/isp-requests/{item.request_id}/answer/",
        {"item": item.pk, "answer": "notified"},
        content_type="application/json",
    )
    assert answer.json()["items"][0]["answer"] == "notified"


def test_an_overdue_request_escalates_once_through_an_alert(
    city, isp, isp_liaison, city_admin, smtp
):
    request = requesting.send(
        isp,
        kind="staffing",
        subject="Trực Tết",
        due_at=timezone.now() + dt.timedelta(hours=2),
        lines=requesting.parse_lines("staffing", "Danh sách trực 24/7 từ 08/02 đến 14/02"),
        by=city_admin,
    )
    assert escalation.escalate_overdue() == 0
    with time_machine.travel(timezone.now() + dt.timedelta(hours=3), tick=False):
        assert escalation.escalate_overdue() == 1
        assert escalation.escalate_overdue() == 0
        outbox.send_due()
    alert = Alert.objects.get(unit=isp)
    assert alert.status == "triggered" and "Trực Tết" in alert.summary
    subjects = [str(make_header(decode_header(m["Subject"]))) for m in smtp]
    assert any("ISP request overdue" in s for s in subjects), subjects
    item = request.items.get()
    requesting.answer(item, answer="done", comment="Nguyễn A 0912…", by=isp_liaison)
    alert.refresh_from_db()
    assert alert.status == "resolved"


def test_open_requests_are_on_the_isps_work_page(client_as, isp, isp_liaison, city_admin):
    requesting.send(
        isp,
        kind="block",
        subject="Chặn tên miền lừa đảo",
        due_at=timezone.now(),
        lines=requesting.parse_lines("block", "scam.example"),
        by=city_admin,
    )
    body = client_as(isp_liaison).get("/work/").content.decode()
    assert "Chặn tên miền lừa đảo" in body and 'data-area="isps"' in body
