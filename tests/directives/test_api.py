from django.core.files.uploadedfile import SimpleUploadedFile

from citysoc.core.models import AuditEntry
from citysoc.directives.models import Directive, Evidence
from tests import factories


def test_unit_b_cannot_read_or_answer_unit_as_assignment_through_the_api(
    client, officer_b, assignment_a
):
    client.force_login(officer_b)
    url = f"/api/assignments/{assignment_a.pk}/"
    assert client.get(url).status_code == 404
    patch = client.patch(url, {"status": "done"}, content_type="application/json")
    assert patch.status_code == 404
    upload = SimpleUploadedFile("x.txt", b"x")
    assert client.post(f"{url}evidence/", {"file": upload}).status_code == 404
    listed = client.get("/api/assignments/").json()["results"]
    assert {row["unit"] for row in listed} == {"ward-b"}
    assignment_a.refresh_from_db()
    assert assignment_a.status == "not_started"
    assert not Evidence.objects.exists()


def test_a_unit_answers_and_attaches_evidence_through_the_api(client, officer_a, assignment_a):
    client.force_login(officer_a)
    url = f"/api/assignments/{assignment_a.pk}/"
    response = client.patch(
        url, {"status": "done", "report": "Trực 24/24"}, content_type="application/json"
    )
    assert response.status_code == 200, response.json()
    upload = SimpleUploadedFile("lich-truc.xlsx", b"PK roster")
    response = client.post(f"{url}evidence/", {"file": upload, "note": "Lịch trực"})
    assert response.status_code == 200
    assert [row["filename"] for row in response.json()] == ["lich-truc.xlsx"]
    data = client.get(url).json()
    assert data["status"] == "done"
    assert data["item"]["order"] == 1
    assert AuditEntry.objects.filter(
        actor=officer_a, model="directives.assignment", action="update"
    ).exists()


def test_not_applicable_without_a_reason_is_refused_by_the_api(client, officer_a, assignment_a):
    client.force_login(officer_a)
    response = client.patch(
        f"/api/assignments/{assignment_a.pk}/",
        {"status": "not_applicable"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "reason" in response.json()


def test_a_unit_sees_only_directives_sent_to_it(client, officer_a, officer_b, city, city_admin):
    from citysoc.directives import issuing

    only_a = factories.make_directive(city, subject="V/v chỉ cho phường A")
    only_a.recipient_units.add(officer_a.memberships.get().unit)
    issuing.issue(only_a, by=city_admin)
    factories.make_directive(city, subject="V/v bản nháp")
    client.force_login(officer_a)
    rows = client.get("/api/directives/").json()["results"]
    assert [r["subject"] for r in rows] == ["V/v chỉ cho phường A"]
    assert [i["order"] for i in rows[0]["items"]] == [1, 2]
    client.force_login(officer_b)
    assert client.get("/api/directives/").json()["results"] == []
    assert client.get(f"/api/directives/{only_a.pk}/").status_code == 404


def test_only_the_city_writes_and_issues_directives_through_the_api(
    client, officer_a, city_admin, unit_a, isp
):
    body = {
        "subject": "V/v chặn tên miền lừa đảo",
        "recipient_kinds": ["isp"],
        "items": [{"order": 1, "text": "Chặn danh sách tên miền", "applies_to_kinds": ["isp"]}],
    }
    client.force_login(officer_a)
    assert client.post("/api/directives/", body, content_type="application/json").status_code == 403
    client.force_login(city_admin)
    response = client.post("/api/directives/", body, content_type="application/json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    issued = client.post(f"/api/directives/{pk}/issue/")
    assert issued.json() == {"created": 1, "status": "issued"}
    assert client.post(f"/api/directives/{pk}/issue/").json()["created"] == 0
    assert Directive.objects.get(pk=pk).assignments.get().unit == isp


def test_a_unit_is_not_told_which_other_units_received_a_directive(
    client, officer_a, city, city_admin, unit_a, unit_b
):
    from citysoc.directives import issuing

    directive = factories.make_directive(city, items=1)
    directive.recipient_units.add(unit_a, unit_b)
    issuing.issue(directive, by=city_admin)
    client.force_login(officer_a)
    assert client.get(f"/api/directives/{directive.pk}/").json()["recipient_units"] == ["ward-a"]
    client.force_login(city_admin)
    codes = client.get(f"/api/directives/{directive.pk}/").json()["recipient_units"]
    assert sorted(codes) == ["ward-a", "ward-b"]


def test_the_api_refuses_done_without_required_evidence_and_takes_it_in_one_request(
    client, officer_a, assignment_a
):
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    assignment_a.item.evidence_required = True
    assignment_a.item.save()
    client.force_login(officer_a)
    url = f"/api/assignments/{assignment_a.pk}/"
    response = client.patch(url, {"status": "done"}, content_type="application/json")
    assert response.status_code == 400
    assert "file" in response.json()
    assignment_a.refresh_from_db()
    assert assignment_a.status == "not_started"

    upload = SimpleUploadedFile("bien-ban.pdf", b"%PDF minutes")
    body = encode_multipart(BOUNDARY, {"status": "done", "report": "Xong", "file": upload})
    response = client.patch(url, body, content_type=MULTIPART_CONTENT)
    assert response.status_code == 200, response.json()
    assignment_a.refresh_from_db()
    assert assignment_a.status == "done"
    assert [e.filename for e in assignment_a.evidence.all()] == ["bien-ban.pdf"]
