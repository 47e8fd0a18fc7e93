"""The incident pages as a user: a case and its actions, the list's overdue flag, the city
view, reports as files, search, playbooks and contacts; another unit's case answers 404."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from citysoc.alerts.models import Incident
from citysoc.incidents import opening
from citysoc.incidents.models import Evidence, Task
from tests.incidents.support import local, make_alert, realistic_case

pytestmark = pytest.mark.django_db


def _open(client, unit_a, **extra):
    data = {"unit": unit_a.pk, "title": "Giả mạo trang đăng nhập", "kind": "phishing",
            "severity": "high", "handling": "self", **extra}  # fmt: skip
    response = client.post("/incidents/new/", data)
    assert response.status_code == 302, response.content.decode()[:500]
    return Incident.objects.get(title="Giả mạo trang đăng nhập")


def test_an_officer_opens_a_case_by_hand_and_sees_its_deadlines_and_contacts(
    client_as, officer_a, unit_a, libraries
):
    client = client_as(officer_a)
    with time_machine.travel(local(2025, 5, 5, 9), tick=False):
        incident = _open(client, unit_a)
        page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert "Giả mạo trang đăng nhập" in page
    assert "10/05/2025 09:00" in page  # 5 days to notify under TT 20/2017
    assert "VNCERT/CC" in page and "QĐ 05/2017/QĐ-TTg" in page


def test_the_list_flags_a_late_report_and_a_sent_one_clears_it(
    client_as, officer_a, unit_a, libraries
):
    incident = opening.open_by_hand(unit_a, by=officer_a, title="Giả mạo", severity="high",
                                    detected_at=local(2025, 5, 5, 9))  # fmt: skip
    with time_machine.travel(local(2025, 5, 12, 9), tick=False):
        client = client_as(officer_a)  # signed in after the clock moved: the session is fresh
        assert 'data-overdue="1"' in client.get("/incidents/").content.decode()
        assert 'class="overdue"' in client.get("/incidents/city/").content.decode()
        response = client.post(
            f"/incidents/{incident.pk}/act/report/", {"form": "notice", "text": "Đã xử lý"}
        )
        report = incident.reports.get()
        assert response.url == f"/incidents/reports/{report.pk}/docx/"
        client.post(f"/incidents/{incident.pk}/act/report-sent/", {"report": report.pk})
        assert 'data-overdue="1"' not in client.get("/incidents/").content.decode()


def test_the_playbook_turns_into_tasks_with_owners_and_due_times(client_as, officer_a, unit_a):
    client = client_as(officer_a)
    incident = opening.open_by_hand(
        unit_a, by=officer_a, title="Mã độc", severity="high", kind="malware"
    )
    client.post(f"/incidents/{incident.pk}/act/playbook/")
    tasks = list(incident.tasks.order_by("position"))
    assert [t.phase for t in tasks][:2] == ["receive", "contain"] and tasks[-1].phase == "lessons"
    assert all(t.due_at for t in tasks)
    assert tasks[0].owner_role == "operator"
    client.post(f"/incidents/{incident.pk}/act/task-done/", {"task": tasks[0].pk})
    assert Task.objects.get(pk=tasks[0].pk).done_at is not None


def test_evidence_is_kept_with_its_hash_and_downloaded_by_its_unit_only(
    client_as, officer_a, officer_b, unit_a, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    incident = opening.open_by_hand(unit_a, by=officer_a, title="X", severity="low")
    upload = SimpleUploadedFile("fw.log", b"198.51.100.23 DENY\n")
    client_as(officer_a).post(f"/incidents/{incident.pk}/act/evidence/", {"file": upload})
    evidence = Evidence.objects.get()
    assert evidence.size == 19 and len(evidence.sha256) == 64
    assert client_as(officer_a).get(f"/incidents/evidence-files/{evidence.pk}/").status_code == 200
    assert client_as(officer_b).get(f"/incidents/evidence-files/{evidence.pk}/").status_code == 404


def test_evidence_over_the_upload_limit_is_refused(
    client_as, officer_a, unit_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.UPLOAD_MAX_BYTES = 10
    incident = opening.open_by_hand(unit_a, by=officer_a, title="X", severity="low")
    client_as(officer_a).post(f"/incidents/{incident.pk}/act/evidence/",
                              {"file": SimpleUploadedFile("big.log", b"x" * 11)})  # fmt: skip
    assert not Evidence.objects.exists()


def test_another_units_case_is_404_and_a_viewer_cannot_act(
    client_as, officer_a, officer_b, viewer_a, unit_a
):
    incident = opening.open_by_hand(unit_a, by=officer_a, title="X", severity="low")
    assert client_as(officer_b).get(f"/incidents/{incident.pk}/").status_code == 404
    assert (
        client_as(officer_b)
        .post(f"/incidents/{incident.pk}/act/close/", {"lessons": "x"})
        .status_code
        == 404
    )
    assert client_as(viewer_a).get(f"/incidents/{incident.pk}/").status_code == 200
    assert (
        client_as(viewer_a)
        .post(f"/incidents/{incident.pk}/act/close/", {"lessons": "x"})
        .status_code
        == 403
    )


def test_a_report_downloads_as_docx_and_pdf(client_as, officer_a, unit_a, libraries):
    incident = realistic_case(unit_a, officer_a)
    report = incident.reports.get(form="03")
    client = client_as(officer_a)
    docx = client.get(f"/incidents/reports/{report.pk}/docx/")
    assert "BÁO CÁO BAN ĐẦU" in "\n".join(
        p.text for p in Document(io.BytesIO(docx.content)).paragraphs
    )
    assert client.get(f"/incidents/reports/{report.pk}/pdf/").content.startswith(b"%PDF")
    summary = client.get(f"/incidents/summary/?unit={unit_a.code}&from=2025-01-01&to=2025-06-30")
    assert summary.status_code == 200 and summary.content[:2] == b"PK"


def test_an_alert_opens_a_case_from_the_open_from_endpoint(client_as, officer_a, officer_b, unit_a):
    alert = make_alert(unit_a, "scan", src_ip="198.51.100.9")
    assert (
        client_as(officer_b)
        .post("/incidents/open-from/", {"source": "alerts.alert", "id": alert.pk})
        .status_code
        == 404
    )
    response = client_as(officer_a).post(
        "/incidents/open-from/", {"source": "alerts.alert", "id": alert.pk}
    )
    incident = Incident.objects.get()
    assert response.url == f"/incidents/{incident.pk}/"
    page = client_as(officer_a).get(response.url).content.decode()
    assert "198.51.100.9" in page and "Alert scan" in page


def test_observable_search_finds_only_visible_cases(
    client_as, officer_a, officer_b, unit_a, unit_b
):
    one = opening.open_by_hand(unit_a, by=officer_a, title="A-case", severity="low")
    two = opening.open_by_hand(unit_b, by=officer_b, title="B-case", severity="low")
    client_as(officer_a).post(f"/incidents/{one.pk}/act/observable/", {"value": "evil.example"})
    client_as(officer_b).post(f"/incidents/{two.pk}/act/observable/", {"value": "evil.example"})
    page = client_as(officer_a).get("/incidents/search/?q=evil").content.decode()
    assert "A-case" in page and "B-case" not in page


def test_a_city_admin_edits_a_playbook_and_a_broken_one_is_refused(
    client_as, city_admin, officer_a
):
    client = client_as(city_admin)
    text = "steps:\n  - phase: contain\n    title: Chặn IP\n    owner: operator\n    due_hours: 1\n"
    client.post("/incidents/playbooks/dos/", {"text": text})
    assert "Chặn IP" in client.get("/incidents/playbooks/dos/").content.decode()
    page = client.post(
        "/incidents/playbooks/dos/", {"text": "steps:\n  - phase: nap\n    title: x\n"}
    )
    assert "phase must be one of" in page.content.decode() or "phase" in page.content.decode()
    assert client_as(officer_a).post("/incidents/playbooks/dos/", {"text": text}).status_code == 403


def test_contacts_show_the_national_bodies_and_the_citys_own(
    client_as, city_admin, officer_a, unit_a
):
    client_as(city_admin).post("/incidents/contacts/", {"kind": "police", "name": "Trực ban PA05",
                                                        "phone": "069 000 000"})  # fmt: skip
    page = client_as(officer_a).get("/incidents/contacts/").content.decode()
    assert "VNCERT/CC" in page and "Trực ban PA05" in page


def test_the_list_page_query_count_does_not_grow_with_cases(
    client_as, officer_a, unit_a, libraries, django_assert_max_num_queries
):
    for n in range(12):
        opening.open_by_hand(unit_a, by=officer_a, title=f"Case {n}", severity="low",
                             detected_at=local(2025, 5, 5, 9 + n % 3))  # fmt: skip
    client = client_as(officer_a)
    with django_assert_max_num_queries(20):
        client.get("/incidents/")
    with django_assert_max_num_queries(20):
        client.get("/incidents/city/")
    with django_assert_max_num_queries(20):
        client.get("/api/incidents/")


def test_a_directives_incidents_item_shows_the_units_cases(client, officer_a, unit_a, city):
    from citysoc.incidents import progress

    opening.open_by_hand(unit_a, by=officer_a, title="X", severity="low")
    figures = progress.unit_progress(unit_a, label="Incidents")
    assert figures.summary.startswith("1 ") and figures.url.endswith(f"?unit={unit_a.code}")
