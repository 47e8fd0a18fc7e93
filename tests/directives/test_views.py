from django.core.files.uploadedfile import SimpleUploadedFile

from citysoc.core.models import AuditEntry
from citysoc.directives.models import Assignment, Directive, Evidence


def _url(a):
    return f"/directives/assignments/{a.pk}/"


def test_a_unit_officer_answers_with_evidence_and_every_change_is_audited(
    client, officer_a, assignment_a
):
    client.force_login(officer_a)
    upload = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    response = client.post(
        _url(assignment_a),
        {"status": "done", "report": "Đã rà soát 12 máy", "file": upload, "note": "BB"},
    )
    assert response.status_code == 302
    assignment_a.refresh_from_db()
    assert assignment_a.status == "done"
    assert assignment_a.report == "Đã rà soát 12 máy"
    assert assignment_a.updated_by == officer_a
    evidence = Evidence.objects.get(assignment=assignment_a)
    assert evidence.unit == assignment_a.unit
    assert evidence.note == "BB"
    assert evidence.file.read() == b"%PDF-1.4 minutes"
    entries = AuditEntry.objects.filter(actor=officer_a)
    assert entries.filter(model="directives.assignment", action="update").exists()
    assert entries.filter(model="directives.evidence", action="create").exists()
    page = client.get(_url(assignment_a)).content.decode()
    assert "bien-ban.pdf" in page
    download = client.get(f"/directives/evidence/{evidence.pk}/")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 minutes"


def test_unit_b_can_neither_read_nor_answer_unit_as_assignment(client, officer_b, assignment_a):
    client.force_login(officer_b)
    assert client.get(_url(assignment_a)).status_code == 404
    response = client.post(_url(assignment_a), {"status": "done", "report": "taken over"})
    assert response.status_code == 404
    upload = SimpleUploadedFile("x.txt", b"x")
    response = client.post(_url(assignment_a), {"status": "in_progress", "file": upload})
    assert response.status_code == 404
    assignment_a.refresh_from_db()
    assert assignment_a.status == "not_started"
    assert not Evidence.objects.exists()
    listing = client.get("/directives/assignments/").content.decode()
    assert "Phường Bắc Sơn" not in listing


def test_not_applicable_needs_a_reason_and_nothing_is_saved_without_one(
    client, officer_a, assignment_a
):
    client.force_login(officer_a)
    response = client.post(_url(assignment_a), {"status": "not_applicable", "report": "x"})
    assert response.status_code == 200
    assert "Say why this item does not apply" in response.content.decode()
    assignment_a.refresh_from_db()
    assert assignment_a.status == "not_started"


def test_an_evidence_file_over_the_limit_is_refused(client, officer_a, assignment_a, settings):
    settings.UPLOAD_MAX_BYTES = 10
    client.force_login(officer_a)
    upload = SimpleUploadedFile("big.bin", b"x" * 11)
    response = client.post(_url(assignment_a), {"status": "done", "file": upload})
    assert response.status_code == 200
    assert "larger than" in response.content.decode()
    assert "pick the files again" in response.content.decode()
    assert not Evidence.objects.exists()
    assignment_a.refresh_from_db()
    assert assignment_a.status == "not_started"


def test_done_is_refused_while_required_evidence_is_missing(client, officer_a, assignment_a):
    assignment_a.item.evidence_required = True
    assignment_a.item.save()
    client.force_login(officer_a)
    response = client.post(_url(assignment_a), {"status": "done", "report": "Đã xong"})
    assert response.status_code == 200
    assert "This item requires evidence" in response.content.decode()
    assignment_a.refresh_from_db()
    assert assignment_a.status == "not_started"
    assert assignment_a.report == ""

    # The same answer with its file is saved whole: status, report and both files.
    files = [SimpleUploadedFile("bb.pdf", b"%PDF a"), SimpleUploadedFile("anh.png", b"png")]
    response = client.post(
        _url(assignment_a), {"status": "done", "report": "Đã xong", "file": files}
    )
    assert response.status_code == 302
    assignment_a.refresh_from_db()
    assert assignment_a.status == "done"
    assert sorted(e.filename for e in assignment_a.evidence.all()) == ["anh.png", "bb.pdf"]

    # Once attached, later edits of the report need no new file.
    response = client.post(_url(assignment_a), {"status": "done", "report": "Đã xong, bổ sung"})
    assert response.status_code == 302


def test_a_viewer_of_the_unit_reads_but_cannot_answer(client, viewer_a, assignment_a):
    client.force_login(viewer_a)
    assert client.get(_url(assignment_a)).status_code == 200
    assert client.post(_url(assignment_a), {"status": "done"}).status_code == 403
    assignment_a.refresh_from_db()
    assert assignment_a.status == "not_started"


def test_the_directives_entry_lands_each_role_on_its_page(client, officer_a, city_admin):
    client.force_login(officer_a)
    assert client.get("/directives/")["Location"] == "/directives/assignments/"
    client.force_login(city_admin)
    assert client.get("/directives/")["Location"] == "/directives/list/"


def test_the_city_drafts_from_the_template_issues_and_follows_up(
    client, city_admin, unit_a, unit_b, isp
):
    client.force_login(city_admin)
    response = client.post("/directives/from-template/", {"template": "tet", "year": "2026"})
    directive = Directive.objects.get()
    assert response["Location"] == f"/directives/{directive.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Bính Ngọ 2026" in page
    assert "086.9100.317" in page
    # The template's citation still says "…": issuing is refused until the office fills it.
    refused = client.post(f"/directives/{directive.pk}/issue/", follow=True).content.decode()
    assert "legal bases still hold a “…” to fill in" in refused
    assert not Assignment.objects.filter(directive=directive).exists()
    directive.legal_bases = directive.legal_bases.replace("…", "15", 2)
    directive.save()
    response = client.post(f"/directives/{directive.pk}/issue/")
    assert response.status_code == 302
    assert Assignment.objects.filter(directive=directive).count() == 6 + 6 + 9
    matrix = client.get(f"/directives/{directive.pk}/matrix/").content.decode()
    assert "Phường Bắc Sơn" in matrix and "VNPT Ninh Bình" in matrix


def test_a_unit_officer_cannot_write_or_issue_a_directive(client, officer_a, issued):
    client.force_login(officer_a)
    assert client.get("/directives/new/").status_code == 403
    assert client.post(f"/directives/{issued.pk}/issue/").status_code == 403
    assert (
        client.post("/directives/from-template/", {"template": "tet", "year": 2026}).status_code
        == 403
    )


def test_the_city_writes_a_directive_with_items_in_the_web_form(client, city_admin, unit_a):
    client.force_login(city_admin)
    form = {
        "doc_type": "cong_van",
        "subject": "V/v rà soát website",
        "recipient_kinds": ["ward"],
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-0-order": "1",
        "items-0-text": "Kiểm tra website",
        "items-0-due_date": "15/01/2027",
        "items-1-order": "1",  # the untouched extra form, as the browser sends it
        "items-1-text": "",
    }
    response = client.post("/directives/new/", form)
    assert response.status_code == 302, (
        response.context["form"].errors,
        response.context["items"].errors,
    )
    directive = Directive.objects.get(subject="V/v rà soát website")
    assert directive.unit.code == "city"
    item = directive.items.get()
    assert item.due_date.isoformat() == "2027-01-15"


def test_an_inventory_item_shows_the_units_own_inventory_figures(
    client, officer_a, assignment_a, unit_a
):
    from tests import factories

    assignment_a.item.area = "inventory"
    assignment_a.item.save()
    factories.make_system(unit_a, name="Cổng thông tin", level=2)
    client.force_login(officer_a)
    page = client.get(_url(assignment_a)).content.decode()
    assert "1 information systems registered, 1 without an approved level" in page


def test_the_city_attaches_a_file_that_only_recipients_can_download(
    client, city_admin, officer_a, officer_b, city, unit_a
):
    from citysoc.directives import issuing
    from citysoc.directives.models import Attachment
    from tests import factories

    directive = factories.make_directive(city, items=1)
    directive.recipient_units.add(unit_a)
    issuing.issue(directive, by=city_admin)
    client.force_login(city_admin)
    upload = SimpleUploadedFile("danh-sach-ip-botnet.xlsx", b"PK list")
    response = client.post(f"/directives/{directive.pk}/", {"file": upload, "note": "T1/2027"})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert AuditEntry.objects.filter(model="directives.attachment", action="create").exists()
    client.force_login(officer_a)
    download = client.get(f"/directives/attachments/{attachment.pk}/")
    assert b"".join(download.streaming_content) == b"PK list"
    other = SimpleUploadedFile("x.txt", b"x")
    assert client.post(f"/directives/{directive.pk}/", {"file": other}).status_code == 403
    client.force_login(officer_b)
    assert client.get(f"/directives/attachments/{attachment.pk}/").status_code == 404
    assert Attachment.objects.count() == 1


def test_the_body_is_shown_as_the_markdown_a_letter_uses(client, city_admin, issued):
    issued.body = "Thực hiện **Công văn số 39**:\n\n- rà soát <hệ thống>\n- trực 24/24"
    issued.save()
    client.force_login(city_admin)
    page = client.get(f"/directives/{issued.pk}/").content.decode()
    assert "<p>Thực hiện <strong>Công văn số 39</strong>:</p>" in page
    assert "<ul><li>rà soát &lt;hệ thống&gt;</li><li>trực 24/24</li></ul>" in page
