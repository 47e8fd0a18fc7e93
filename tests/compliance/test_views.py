"""Assessment pages: start, answer with evidence, gaps, history, diff, and who may do what."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from citysoc.compliance import assessing
from citysoc.compliance.models import Assessment, ItemEvidence
from tests import factories
from tests.compliance.test_assessing import LEVEL_3, item, make_library


@pytest.fixture(autouse=True)
def _media_and_language(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def library(db):
    return make_library()


@pytest.fixture
def system_a(unit_a):
    return factories.make_system(unit_a, name="Cổng thông tin phường A", level=3)


@pytest.fixture
def assessment_a(library, system_a, officer_a):
    return assessing.start(system_a, library, by=officer_a)


def _answer(client, it, **data):
    prefix = f"i{it.pk}"
    return client.post(
        f"/compliance/assessment-items/{it.pk}/", {f"{prefix}-{k}": v for k, v in data.items()}
    )


def test_an_officer_starts_an_assessment_of_a_level_3_system(
    client_as, officer_a, library, system_a
):
    client = client_as(officer_a)
    home = client.get("/compliance/").content.decode()
    assert "Cổng thông tin phường A" in home
    assert f"/compliance/systems/{system_a.pk}/start/" in home
    start = client.get(f"/compliance/systems/{system_a.pk}/start/")
    assert library.urn in start.content.decode()
    response = client.post(f"/compliance/systems/{system_a.pk}/start/", {"library": library.urn})
    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/compliance/assessments/{assessment.pk}/"
    page = client.get(response["Location"]).content.decode()
    for ref in LEVEL_3:
        assert f'data-item="{ref}"' in page
    assert 'data-item="2.3"' not in page  # a level-4-only requirement
    assert "data-unofficial" in page  # 1.2 paraphrases a secondary source
    assert "log_retention_months</code> = 3" in page  # the level-3 threshold, not level 4's


def test_a_system_without_a_level_is_explained_not_started(client_as, officer_a, library, unit_a):
    system = factories.make_system(unit_a, level=None)
    client = client_as(officer_a)
    page = client.get(f"/compliance/systems/{system.pk}/start/").content.decode()
    assert "no security level yet" in page
    response = client.post(f"/compliance/systems/{system.pk}/start/", {"library": library.urn})
    assert response.status_code == 200
    assert not Assessment.objects.exists()


def test_answering_with_evidence_moves_the_score_on_the_page(client_as, officer_a, assessment_a):
    client = client_as(officer_a)
    first = item(assessment_a, "1.1")
    proof = SimpleUploadedFile("chinh-sach.pdf", b"%PDF-1.4 policy")
    response = _answer(client, first, status="met", note="Ban hành 2025", file=proof)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#item-{first.pk}")
    first.refresh_from_db()
    assert (first.status, first.note, first.assessor) == ("met", "Ban hành 2025", officer_a)
    evidence = ItemEvidence.objects.get()
    assert evidence.filename == "chinh-sach.pdf"
    page = client.get(f"/compliance/assessments/{assessment_a.pk}/").content.decode()
    assert "Score: 25.0%" in page
    download = client.get(f"/compliance/assessment-evidence/{evidence.pk}/")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 policy"


def test_not_applicable_without_a_reason_shows_the_error(client_as, officer_a, assessment_a):
    client = client_as(officer_a)
    it = item(assessment_a, "2.1")
    response = _answer(client, it, status="not_applicable")
    assert response.status_code == 200
    assert "Say why this requirement does not apply" in response.content.decode()
    it.refresh_from_db()
    assert it.status == "not_assessed"


def test_the_gap_pages_list_exactly_the_gaps_with_overdue_highlighted(
    client_as, officer_a, assessment_a
):
    client = client_as(officer_a)
    _answer(client, item(assessment_a, "1.1"), status="met")
    _answer(
        client,
        item(assessment_a, "1.2"),
        status="not_met",
        gap_owner="Tổ CNTT",
        gap_due="31/01/2020",
    )
    _answer(client, item(assessment_a, "2.2"), status="partly", gap_owner="Anh Minh")
    for url in (f"/compliance/assessments/{assessment_a.pk}/gaps/", "/compliance/gaps/"):
        page = client.get(url).content.decode()
        assert page.count("data-gap=") == 2, url
        assert 'data-gap="1.2" class="overdue"' in page
        assert "Tổ CNTT" in page and "Anh Minh" in page
    overdue = client.get("/compliance/gaps/?overdue=on").content.decode()
    assert overdue.count("data-gap=") == 1


def test_history_and_diff_between_two_assessments(
    client_as, officer_a, library, system_a, assessment_a
):
    assessing.answer(item(assessment_a, "1.1"), by=officer_a, status="not_met")
    later = assessing.start(system_a, library, by=officer_a)
    assessing.answer(item(later, "1.1"), by=officer_a, status="met")
    client = client_as(officer_a)
    history = client.get(f"/compliance/systems/{system_a.pk}/").content.decode()
    assert history.count("data-assessment=") == 2
    page = client.get(f"/compliance/systems/{system_a.pk}/diff/").content.decode()
    assert "1 requirement changed." in page
    assert page.count('class="changed"') == 1


def test_completing_needs_every_answer(client_as, officer_a, assessment_a):
    client = client_as(officer_a)
    url = f"/compliance/assessments/{assessment_a.pk}/complete/"
    assert client.get(url).status_code == 200
    client.post(url)
    assessment_a.refresh_from_db()
    assert assessment_a.status == "in_progress"
    for ref in LEVEL_3:
        _answer(client, item(assessment_a, ref), status="met")
    client.post(url)
    assessment_a.refresh_from_db()
    assert assessment_a.status == "completed"
    page = client.get(f"/compliance/assessments/{assessment_a.pk}/").content.decode()
    assert "Save this answer" not in page


def test_a_viewer_reads_but_cannot_start_or_answer(client_as, viewer_a, assessment_a, system_a):
    client = client_as(viewer_a)
    page = client.get(f"/compliance/assessments/{assessment_a.pk}/").content.decode()
    assert 'data-item="1.1"' in page
    assert "Save this answer" not in page
    assert client.get(f"/compliance/systems/{system_a.pk}/start/").status_code == 403
    assert _answer(client, item(assessment_a, "1.1"), status="met").status_code == 403
    assert item(assessment_a, "1.1").status == "not_assessed"


def test_a_unit_cannot_see_or_answer_another_units_assessment(
    client_as, officer_b, officer_a, assessment_a, system_a
):
    it = item(assessment_a, "1.1")
    evidence = assessing.attach(it, by=officer_a, file=SimpleUploadedFile("a.txt", b"a"))
    client = client_as(officer_b)
    for url in (
        f"/compliance/assessments/{assessment_a.pk}/",
        f"/compliance/assessments/{assessment_a.pk}/gaps/",
        f"/compliance/assessments/{assessment_a.pk}/complete/",
        f"/compliance/assessment-items/{it.pk}/",
        f"/compliance/assessment-evidence/{evidence.pk}/",
        f"/compliance/systems/{system_a.pk}/",
        f"/compliance/systems/{system_a.pk}/start/",
        f"/compliance/systems/{system_a.pk}/diff/",
    ):
        assert client.get(url).status_code == 404, url
    assert _answer(client, it, status="met").status_code == 404
    assert "Cổng thông tin phường A" not in client.get("/compliance/").content.decode()
    assert item(assessment_a, "1.1").status == "not_assessed"


def test_the_home_page_query_count_does_not_grow_with_systems(
    client_as, officer_a, library, unit_a, django_assert_max_num_queries
):
    for n in range(12):
        system = factories.make_system(unit_a, name=f"HTTT {n}", level=3)
        assessment = assessing.start(system, library, by=officer_a)
        assessing.answer(item(assessment, "1.1"), by=officer_a, status="met")
    client = client_as(officer_a)
    with django_assert_max_num_queries(12):
        page = client.get("/compliance/").content.decode()
    assert page.count("data-system=") == 12
    assert page.count("25.0%") == 12
    assert client.get("/compliance/?q=HTTT 7").content.decode().count("data-system=") == 1


def test_the_system_page_links_its_assessments(client_as, officer_a, assessment_a, system_a):
    page = client_as(officer_a).get(f"/inventory/systems/{system_a.pk}/").content.decode()
    assert f"/compliance/assessments/{assessment_a.pk}/" in page
    assert f"/compliance/systems/{system_a.pk}/start/" in page


def test_the_gap_due_date_is_read_day_first(client_as, officer_a, assessment_a):
    it = item(assessment_a, "2.1")
    _answer(client_as(officer_a), it, status="partly", gap_owner="Tổ CNTT", gap_due="05/04/2027")
    it.refresh_from_db()
    assert it.gap_due == datetime.date(2027, 4, 5)
