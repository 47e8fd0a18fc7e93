"""What schemathesis found where the API said one thing and answered another, one test each
(the sweep itself is tests/security/test_schemathesis.py), and the rejected rows of a
list, which a unit's page hides and so must its API."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from citysoc.directives import answering, issuing
from citysoc.duty.models import LogEntry
from tests import factories
from tests.duty.conftest import make_roster
from tests.intel.support import import_text

pytestmark = pytest.mark.django_db

# The operations that answer one object's whole sub-list, or one row per unit.
PLAIN_ARRAYS = [
    "/api/assessments/{id}/items/",
    "/api/assessments/{id}/gaps/",
    "/api/assessment-items/{id}/evidence/",
    "/api/assignments/{id}/evidence/",
    "/api/cleanup-tasks/summary/",
]


@pytest.fixture
def schema(client, city_admin):
    client.force_login(city_admin)
    schema = client.get("/api/openapi.json").json()
    client.logout()
    return schema


def _component(schema: dict, name: str) -> dict:
    return schema["components"]["schemas"][name]["properties"]


def _nullable(field: dict) -> bool:
    return field.get("nullable") is True or {"type": "null"} in field.get("anyOf", [])


@pytest.mark.parametrize("path", PLAIN_ARRAYS)
def test_sub_lists_and_the_task_summary_are_documented_as_the_arrays_they_are(schema, path):
    operation = schema["paths"][path]["get"]
    documented = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert documented["type"] == "array", documented
    names = {p["name"] for p in operation.get("parameters", [])}
    assert not names & {"page", "page_size", "search", "ordering", "unit"}


def test_the_task_summary_answers_the_documented_rows(schema, client, officer_a, unit_a):
    factories.make_range(unit_a, "198.51.100.0/24")
    import_text("198.51.100.10\n")
    client.force_login(officer_a)
    rows = client.get("/api/cleanup-tasks/summary/").json()
    documented = schema["components"]["schemas"]["CleanupSummaryRow"]
    assert [r["unit"] for r in rows] == ["ward-a"]
    assert set(rows[0]) == set(documented["properties"]) == set(documented["required"])


@pytest.fixture
def assignment_a(settings, tmp_path, city, unit_a, city_admin):
    settings.MEDIA_ROOT = tmp_path
    directive = factories.make_directive(city, recipient_kinds=["ward"])
    issuing.issue(directive, by=city_admin)
    assignment = directive.assignments.get(unit=unit_a, item__order=1)
    # Attached by no one (the demo, an import): the case where the PATCH answer lost it.
    answering.attach(assignment, by=None, file=SimpleUploadedFile("proof.pdf", b"%PDF"))
    return assignment


def test_the_answer_to_a_patch_has_every_field_of_the_evidence(client, officer_a, assignment_a):
    client.force_login(officer_a)
    response = client.patch(
        f"/api/assignments/{assignment_a.pk}/",
        {"status": "in_progress", "report": "Đang rà soát"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    listed = client.get(f"/api/assignments/{assignment_a.pk}/evidence/").json()
    assert [e["filename"] for e in listed] == ["proof.pdf"]
    assert response.json()["evidence"] == listed
    assert listed[0]["uploaded_by"] == ""


def test_shift_times_are_documented_as_the_local_times_the_api_answers(
    schema, client, officer_a, unit_a
):
    make_roster(unit_a, dt.date(2025, 1, 27), dt.date(2025, 2, 2))
    client.force_login(officer_a)
    shift = client.get("/api/rosters/").json()["results"][0]["shifts"][0]
    for name in ("start_time", "end_time"):
        field = _component(schema, "Shift")[name]
        documented = next(f for f in field.get("anyOf", [field]) if f.get("type") == "string")
        assert "format" not in documented  # JSON Schema's "time" wants an offset
        assert re.fullmatch(documented["pattern"], shift[name]), shift[name]
        assert _nullable(field)


def test_urns_that_may_be_missing_are_documented_as_nullable(schema):
    assert _nullable(_component(schema, "Library")["superseded_by"])
    assert _nullable(_component(schema, "Requirement")["parent"])


@pytest.mark.parametrize("at", ["0379-01-01T08:00:00+07:00", "2999-01-01T08:00:00+07:00"])
def test_a_duty_log_time_far_from_today_is_refused(client, officer_a, unit_a, at):
    client.force_login(officer_a)
    response = client.post(
        "/api/duty-log/",
        {"unit": "ward-a", "at": at, "checked": "Kiểm tra tường lửa"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "at" in response.json()
    assert not LogEntry.objects.exists()


def test_a_duty_log_time_of_last_night_is_taken(client, officer_a, unit_a):
    client.force_login(officer_a)
    at = dt.datetime.now(dt.UTC) - dt.timedelta(hours=10)
    response = client.post(
        "/api/duty-log/",
        {"unit": "ward-a", "at": at.isoformat(), "checked": "Kiểm tra tường lửa"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content


@pytest.fixture
def version_with_a_rejected_row(unit_a, unit_b):
    factories.make_range(unit_a, "198.51.100.0/24")
    factories.make_range(unit_b, "203.0.113.0/24")
    version, _ = import_text("198.51.100.10\n203.0.113.5\n999.1.1.1\n")
    assert version.rejected_count == 1
    return version


def test_a_ward_user_gets_no_rejected_rows_as_its_page_shows_none(
    client, officer_a, version_with_a_rejected_row
):
    client.force_login(officer_a)
    listed = client.get("/api/indicator-lists/").json()["results"][0]
    one = client.get(f"/api/indicator-lists/{version_with_a_rejected_row.pk}/").json()
    assert listed["rejected_rows"] is None
    assert one["rejected_rows"] is None
    assert listed["rejected_count"] == 1  # the count stays, as on the page
    assert "999.1.1.1" not in str(listed) + str(one)


def test_the_city_gets_the_rejected_rows_with_their_reasons(
    client, city_admin, version_with_a_rejected_row
):
    client.force_login(city_admin)
    one = client.get(f"/api/indicator-lists/{version_with_a_rejected_row.pk}/").json()
    assert [(r["row"], r["value"]) for r in one["rejected_rows"]] == [(3, "999.1.1.1")]
    assert one["rejected_rows"][0]["reason"]
