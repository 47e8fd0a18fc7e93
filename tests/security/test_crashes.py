"""Issue 13, item 8: no crafted input ends in a 500 or in a job "running" for ever.

A CSV with a 30 MB line, JSON nested 50,000 levels (alert intake and API routes), a
truncated .xlsx list, a job whose file vanished: each ends in a clear answer (400, or a
job "failed" with a reason shown on its page), never a traceback or a server path.
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from citysoc.alerts.models import Alert, AlertSource
from citysoc.core.models import ApiToken
from citysoc.intel import importing
from citysoc.intel import tasks as intel_tasks
from citysoc.intel.models import ListVersion
from citysoc.inventory import tasks as inventory_tasks
from citysoc.inventory.models import Host, ImportJob

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

DEPTH = 50_000
DEEP_ARRAY = b"[" * DEPTH + b"]" * DEPTH
DEEP_OBJECT = b'{"a":' * DEPTH + b"1" + b"}" * DEPTH


@pytest.fixture(autouse=True)
def immediate_tasks(settings, tmp_path):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "imports"],
        }
    }
    settings.MEDIA_ROOT = tmp_path


def upload(client, name: str, data: bytes, kind: str = "hosts") -> ImportJob:
    file = SimpleUploadedFile(name, data)
    response = client.post(reverse("inventory:import-start"), {"kind": kind, "file": file})
    assert response.status_code == 302, response.content
    return ImportJob.objects.latest("pk")


# --- a CSV line of 30 MB ------------------------------------------------------------------


def test_a_csv_with_a_30_mb_line_fails_with_the_line_and_its_page_answers(client_as, officer_a):
    client = client_as(officer_a)
    data = (
        "Mã đơn vị,Tên máy,Loại máy,Địa chỉ IPv4\r\n"
        "ward-a,srv-01,server,203.0.113.10\r\n"
        f"ward-a,{'x' * 30_000_000},server,203.0.113.11\r\n"
    ).encode()
    job = upload(client, "hosts.csv", data)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert "Line 3" in job.message and "131,072 characters" in job.message
    page = client.get(reverse("inventory:import-job", args=[job.pk]))
    assert page.status_code == 200  # was a 500: the preview read the bad line again
    assert "131,072 characters" in page.content.decode()
    assert not Host.objects.exists()


# --- JSON nested 50,000 levels --------------------------------------------------------------


def _source(unit, kind: str) -> str:
    source = AlertSource(unit=unit, kind=kind, name=f"{kind} of {unit.code}")
    token = source.new_token()
    source.save()
    return token


@pytest.mark.parametrize(
    "kind,body",
    [
        ("generic", DEEP_ARRAY),
        ("alertmanager", DEEP_OBJECT),
        ("wazuh", DEEP_OBJECT),
        # JSON lines are parsed line by line: a stray quote or closing brackets on one
        # line must not hide the next line's depth.
        ("wazuh", b'{"a": "\r' + DEEP_ARRAY),
        ("suricata", b"]" * DEPTH + b"\n" + DEEP_ARRAY),
    ],
)
def test_deep_json_to_the_alert_intake_is_a_400_naming_the_limit(client, unit_a, kind, body):
    token = _source(unit_a, kind)
    response = client.post(
        f"/api/alerts/intake/{kind}/",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 400
    assert "deeper than 64 levels" in response.json()["error"]
    assert not Alert.objects.exists()


def test_ordinary_nesting_still_reaches_the_intake(client, unit_a):
    token = _source(unit_a, "generic")
    body = (
        b'{"action": "trigger", "severity": "high", "summary": "disk full", "dedup_key": "k1",'
        b' "details": {"a": {"b": [[1, 2]]}}}'
    )
    response = client.post(
        "/api/alerts/intake/generic/",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 202, response.content
    assert Alert.objects.count() == 1


@pytest.mark.parametrize(
    "route", ["/api/hosts/", "/api/channels/", "/api/indicator-lists/", "/api/assessments/"]
)
def test_deep_json_to_an_api_route_is_a_400_naming_the_limit(city_admin, route):
    # /api/indicator-lists/ and /api/assessments/ name their own parsers: they are covered too.
    _token, raw = ApiToken.issue(city_admin, name="test")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = api.post(route, DEEP_ARRAY, content_type="application/json")
    assert response.status_code == 400
    assert "deeper than 64 levels" in response.json()["detail"]


def test_brackets_inside_strings_are_text_not_nesting(officer_a, unit_a):
    _token, raw = ApiToken.issue(officer_a, name="test")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    notes = "[" * 500  # a note full of brackets is a string, not a deep document
    body = {"unit": unit_a.code, "hostname": "srv-brackets", "ipv4": "203.0.113.7", "notes": notes}
    response = api.post("/api/hosts/", body, format="json")
    assert response.status_code == 201, response.content


# --- a truncated .xlsx list -------------------------------------------------------------------


def _xlsx(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_truncated_xlsx_list_ends_failed_with_a_reason_on_its_page(client_as, city_admin):
    data = _xlsx([["IP", "Tên miền C&C"], *[[f"203.0.113.{i}", "bad.example"] for i in range(50)]])
    source = importing.source_named("VNCERT botnet")
    version, _created = importing.receive(source, data[: len(data) // 2], "botnet-2024-06.xlsx")

    with pytest.raises(ValueError):
        intel_tasks.import_version.call(version.pk)

    version.refresh_from_db()
    assert version.status == ListVersion.Status.FAILED  # was "running" for ever
    assert "damaged or cut short" in version.message
    page = client_as(city_admin).get(reverse("intel:version-detail", args=[version.pk]))
    assert "damaged or cut short" in page.content.decode()


# --- any unexpected error ends the job --------------------------------------------------------


def test_an_import_whose_file_vanished_ends_failed_without_a_server_path(client_as, officer_a):
    client = client_as(officer_a)
    job = upload(client, "hosts.csv", b"Ma don vi,Ten may\r\nward-a,srv-01\r\n")
    path = job.file.path
    job.file.storage.delete(job.file.name)  # e.g. a clean-up of the media folder

    with pytest.raises(FileNotFoundError):
        inventory_tasks.check_import.call(job.pk)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED  # was "running" for ever
    assert "FileNotFoundError" in job.message
    assert path not in job.message and "/" not in job.message
    page = client.get(reverse("inventory:import-job", args=[job.pk])).content.decode()
    assert "FileNotFoundError" in page and path not in page


def test_a_list_version_that_raises_ends_failed(monkeypatch):
    # Any reader's surprise, not only the ones the code names, ends the version.
    source = importing.source_named("Feodo C2")
    version, _created = importing.receive(source, b"198.51.100.1\n", "feodo.txt")

    def boom(*args, **kwargs):
        raise KeyError("/srv/citysoc/secret/path")

    monkeypatch.setattr(importing.formats, "parse", boom)
    with pytest.raises(KeyError):
        intel_tasks.import_version.call(version.pk)
    version.refresh_from_db()
    assert version.status == ListVersion.Status.FAILED
    assert "KeyError" in version.message and "/srv" not in version.message
