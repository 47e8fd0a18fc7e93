"""The compliance API: libraries (read, by level), assessments and their items."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from citysoc.compliance import assessing
from citysoc.compliance.models import Assessment, ItemEvidence
from citysoc.core.models import AuditEntry
from tests import factories
from tests.compliance.test_assessing import LEVEL_3, item, make_library


@pytest.fixture(autouse=True)
def _media_and_language(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def api_as():
    def make(user) -> APIClient:
        client = APIClient()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def library(db):
    return make_library()


@pytest.fixture
def system_a(unit_a):
    return factories.make_system(unit_a, name="Một cửa điện tử A", level=3)


@pytest.fixture
def assessment_a(library, system_a, officer_a):
    return assessing.start(system_a, library, by=officer_a)


def test_libraries_are_read_with_requirements_filtered_by_level(api_as, officer_a, library):
    client = api_as(officer_a)
    rows = client.get("/api/libraries/").json()["results"]
    assert [r["urn"] for r in rows] == [library.urn]
    assert len(rows[0]["requirements"]) == 9
    level_3 = client.get(f"/api/libraries/{library.pk}/?level=3").json()
    assessable = [r["ref_id"] for r in level_3["requirements"] if r["assessable"]]
    assert assessable == LEVEL_3
    assert {r["ref_id"] for r in level_3["requirements"] if not r["assessable"]} == {"1", "2"}
    assert level_3["regime"] == library.regime.code
    bad = client.get("/api/libraries/?level=9")
    assert bad.status_code == 400
    assert "level" in bad.json()
    assert client.post("/api/libraries/", {}, format="json").status_code == 405


def test_an_officer_starts_answers_and_attaches_through_the_api(
    api_as, officer_a, library, system_a
):
    client = api_as(officer_a)
    created = client.post(
        "/api/assessments/", {"system": system_a.pk, "library": library.urn}, format="json"
    )
    assert created.status_code == 201, created.json()
    data = created.json()
    assert (data["unit"], data["level"], data["progress"]["total"]) == ("ward-a", 3, 4)
    items = client.get(f"/api/assessments/{data['id']}/items/").json()
    assert [i["requirement"]["ref_id"] for i in items] == LEVEL_3
    first = items[0]["id"]
    patched = client.patch(
        f"/api/assessment-items/{first}/",
        {"status": "partly", "gap_owner": "Tổ CNTT", "gap_due": "2027-03-31"},
        format="json",
    )
    assert patched.status_code == 200, patched.json()
    upload = SimpleUploadedFile("quy-che.pdf", b"%PDF-1.4")
    evidence = client.post(f"/api/assessment-items/{first}/evidence/", {"file": upload})
    assert [e["filename"] for e in evidence.json()] == ["quy-che.pdf"]
    again = client.get(f"/api/assessments/{data['id']}/").json()
    assert (again["progress"]["partly"], again["progress"]["score"]) == (1, 12.5)
    gaps = client.get(f"/api/assessments/{data['id']}/gaps/").json()
    assert [(g["requirement"]["ref_id"], g["gap_owner"], g["gap_due"]) for g in gaps] == [
        ("1.1", "Tổ CNTT", "2027-03-31")
    ]
    progress = client.get(f"/api/assessments/{data['id']}/progress/").json()
    assert [(g["ref_id"], g["tally"]["score"]) for g in progress["groups"]] == [
        ("1", 25.0),
        ("2", 0.0),
    ]
    assert AuditEntry.objects.filter(
        actor=officer_a, model="compliance.assessmentitem", action="update"
    ).exists()


def test_the_api_refuses_bad_answers_with_a_reason(api_as, officer_a, assessment_a):
    client = api_as(officer_a)
    it = item(assessment_a, "1.1")
    response = client.patch(
        f"/api/assessment-items/{it.pk}/", {"status": "not_applicable"}, format="json"
    )
    assert response.status_code == 400
    assert "reason" in response.json()
    complete = client.post(f"/api/assessments/{assessment_a.pk}/complete/")
    assert complete.status_code == 400
    assert "not assessed yet: 4" in complete.json()["non_field_errors"][0]


def test_a_system_without_a_level_is_refused_with_a_sentence(api_as, officer_a, library, unit_a):
    system = factories.make_system(unit_a, level=None)
    response = api_as(officer_a).post(
        "/api/assessments/", {"system": system.pk, "library": library.urn}, format="json"
    )
    assert response.status_code == 400
    assert "no security level" in response.json()["system"][0]


def test_a_unit_cannot_see_another_units_assessment(
    api_as, officer_b, officer_a, assessment_a, system_a, library
):
    it = item(assessment_a, "1.1")
    client = api_as(officer_b)
    assert client.get("/api/assessments/").json()["results"] == []
    assert client.get("/api/assessment-items/").json()["results"] == []
    assert client.get(f"/api/assessments/{assessment_a.pk}/").status_code == 404
    assert client.get(f"/api/assessments/{assessment_a.pk}/items/").status_code == 404
    assert client.get(f"/api/assessment-items/{it.pk}/").status_code == 404
    patch = client.patch(f"/api/assessment-items/{it.pk}/", {"status": "met"}, format="json")
    assert patch.status_code == 404
    upload = SimpleUploadedFile("x.txt", b"x")
    assert (
        client.post(f"/api/assessment-items/{it.pk}/evidence/", {"file": upload}).status_code == 404
    )
    # Nor start one on another unit's system: that system is "not found".
    start = client.post(
        "/api/assessments/", {"system": system_a.pk, "library": library.urn}, format="json"
    )
    assert start.status_code == 400
    assert Assessment.objects.count() == 1
    assert item(assessment_a, "1.1").status == "not_assessed"
    assert not ItemEvidence.objects.exists()
    listed = api_as(officer_a).get("/api/assessments/?within=ward-a").json()["results"]
    assert [(r["id"], r["unit"]) for r in listed] == [(assessment_a.pk, "ward-a")]


def test_a_viewer_reads_but_cannot_answer(api_as, viewer_a, assessment_a, system_a, library):
    client = api_as(viewer_a)
    it = item(assessment_a, "1.1")
    assert client.get(f"/api/assessment-items/{it.pk}/").status_code == 200
    patch = client.patch(f"/api/assessment-items/{it.pk}/", {"status": "met"}, format="json")
    assert patch.status_code == 403
    start = client.post(
        "/api/assessments/", {"system": system_a.pk, "library": library.urn}, format="json"
    )
    assert start.status_code == 403


def test_the_assessment_list_query_count_does_not_grow(
    api_as, officer_a, library, unit_a, django_assert_max_num_queries
):
    for n in range(8):
        system = factories.make_system(unit_a, name=f"HTTT {n}", level=3)
        assessing.start(system, library, by=officer_a)
    client = api_as(officer_a)
    with django_assert_max_num_queries(8):
        rows = client.get("/api/assessments/").json()["results"]
    assert len(rows) == 8
    assert all(r["progress"]["total"] == 4 for r in rows)
