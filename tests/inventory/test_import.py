"""Importing spreadsheets through the web flow: check, preview, import, progress."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from citysoc.core.models import AuditEntry
from citysoc.inventory.models import Host, ImportJob
from tests import factories

HOST_HEADER = ["Mã đơn vị", "Tên máy", "Loại máy", "Địa chỉ IPv4", "Hệ thống phục vụ"]


@pytest.fixture(autouse=True)
def immediate_tasks(settings, tmp_path):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "imports"],
        }
    }
    settings.MEDIA_ROOT = tmp_path


def xlsx(rows, header=HOST_HEADER, name="hosts.xlsx", sheet="Máy"):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def upload(client, file, kind="hosts"):
    response = client.post(reverse("inventory:import-start"), {"kind": kind, "file": file})
    assert response.status_code == 302, response.content
    return ImportJob.objects.latest("pk")


def confirm(client, job, valid_only=False):
    data = {"valid_only": "1"} if valid_only else {}
    return client.post(reverse("inventory:import-confirm", args=[job.pk]), data)


def test_it_imports_a_clean_workbook_after_the_preview(client_as, officer_a, unit_a):
    client = client_as(officer_a)
    factories.make_system(unit_a, name="Cổng thông tin")
    job = upload(
        client,
        xlsx(
            [
                ["ward-a", "srv-01", "Máy chủ", "203.0.113.10", "Cổng thông tin"],
                ["ward-a", "pc-01", "workstation", "10.0.0.5", ""],
            ]
        ),
    )
    assert job.status == ImportJob.Status.VALIDATED
    assert not Host.objects.exists()
    page = client.get(reverse("inventory:import-job", args=[job.pk]))
    assert "srv-01" in page.content.decode()  # the first rows as read

    confirm(client, job)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert (job.created_count, job.updated_count, job.rejected_count) == (2, 0, 0)
    server = Host.objects.get(hostname="srv-01")
    assert server.kind == Host.Kind.SERVER
    assert [s.name for s in server.systems.all()] == ["Cổng thông tin"]
    entry = AuditEntry.objects.get(action="import")
    assert entry.changes["created"] == 2
    assert entry.changes["filename"] == "hosts.xlsx"


def test_it_accepts_english_headers(client_as, officer_a):
    client = client_as(officer_a)
    job = upload(client, xlsx([["ward-a", "srv-9", "server"]], header=["unit", "HOSTNAME", "Kind"]))
    confirm(client, job)
    assert Host.objects.get(hostname="srv-9").kind == Host.Kind.SERVER


def test_a_file_with_one_bad_row_saves_nothing_and_names_sheet_row_and_column(
    client_as, officer_a, settings
):
    settings.LANGUAGE_CODE = "en"  # the assertions read the English message
    client = client_as(officer_a)
    job = upload(
        client,
        xlsx(
            [
                ["ward-a", "srv-01", "Máy chủ", "203.0.113.10"],
                ["ward-a", "srv-02", "Máy chủ", "203.0.113.999"],
                ["ward-a", "srv-03", "Máy chủ", "203.0.113.12"],
            ]
        ),
    )
    assert job.errors == [
        {
            "sheet": "Máy",
            "row": 3,
            "column": "Địa chỉ IPv4",
            "reason": "'203.0.113.999' is not an IPv4 address.",
        }
    ]
    page = client.get(reverse("inventory:import-job", args=[job.pk])).content.decode()
    assert "203.0.113.999" in page and "Địa chỉ IPv4" in page

    response = confirm(client, job)  # without ticking "valid rows only"

    assert response.status_code == 302
    assert not Host.objects.exists()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.VALIDATED


def test_valid_rows_only_saves_the_rest_and_returns_exactly_the_bad_row(client_as, officer_a):
    client = client_as(officer_a)
    job = upload(
        client,
        xlsx(
            [
                ["ward-a", "srv-01", "Máy chủ", "203.0.113.10"],
                ["ward-a", "srv-02", "Máy bay", "203.0.113.11"],
                ["ward-a", "srv-03", "Máy chủ", "203.0.113.12"],
            ]
        ),
    )
    confirm(client, job, valid_only=True)

    job.refresh_from_db()
    assert sorted(Host.objects.values_list("hostname", flat=True)) == ["srv-01", "srv-03"]
    assert (job.created_count, job.updated_count, job.rejected_count) == (2, 0, 1)
    page = client.get(reverse("inventory:import-job", args=[job.pk])).content.decode()
    assert reverse("inventory:import-rejected", args=[job.pk]) in page
    assert client.get(reverse("inventory:import-start")).status_code == 200
    response = client.get(reverse("inventory:import-rejected", args=[job.pk]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0] == (*HOST_HEADER, "Lỗi")
    assert len(rows) == 2
    assert rows[1][:4] == ("ward-a", "srv-02", "Máy bay", "203.0.113.11")
    assert "Máy bay" in rows[1][-1]


def test_it_rejects_a_row_for_another_ward(client_as, officer_a, unit_b, settings):
    settings.LANGUAGE_CODE = "en"  # the assertions read the English message
    client = client_as(officer_a)
    job = upload(
        client, xlsx([["ward-a", "srv-01"], ["ward-b", "srv-02"]], header=["Mã đơn vị", "Tên máy"])
    )
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "Mã đơn vị")]
    assert "outside the units you may change" in job.errors[0]["reason"]
    confirm(client, job, valid_only=True)
    assert list(Host.objects.values_list("unit__code", "hostname")) == [("ward-a", "srv-01")]


def test_importing_again_updates_on_unit_and_hostname(client_as, officer_a, unit_a):
    factories.make_host(unit_a, hostname="srv-01", ipv4="203.0.113.1")
    client = client_as(officer_a)
    job = upload(client, xlsx([["ward-a", "SRV-01", "Máy chủ", "203.0.113.2"]]))
    confirm(client, job)
    job.refresh_from_db()
    assert (job.created_count, job.updated_count) == (0, 1)
    assert Host.objects.get().ipv4 == "203.0.113.2"


def test_a_hostname_twice_in_one_file_is_an_error_on_the_second_row(client_as, officer_a, settings):
    settings.LANGUAGE_CODE = "en"  # the assertions read the English message
    client = client_as(officer_a)
    job = upload(
        client, xlsx([["ward-a", "srv-01"], ["ward-a", "srv-01"]], header=["Mã đơn vị", "Tên máy"])
    )
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "Tên máy")]
    assert "row 2" in job.errors[0]["reason"]


def test_a_missing_required_column_is_reported_on_the_header(client_as, officer_a):
    client = client_as(officer_a)
    job = upload(client, xlsx([["srv-01"]], header=["Tên máy"]))
    assert job.status == ImportJob.Status.FAILED
    assert job.errors[0]["row"] == 1 and job.errors[0]["column"] == "Mã đơn vị"


def test_the_status_url_reports_progress_as_json(client_as, officer_a):
    client = client_as(officer_a)
    job = upload(
        client, xlsx([["ward-a", f"pc-{i}"] for i in range(5)], header=["Mã đơn vị", "Tên máy"])
    )
    confirm(client, job)
    status = client.get(reverse("inventory:import-status", args=[job.pk])).json()
    assert status["status"] == "done"
    assert status["finished"] is True
    assert (status["processed_rows"], status["total_rows"], status["percent"]) == (5, 5, 100)
    assert status["created"] == 5


def test_another_wards_officer_cannot_see_the_job(client_as, officer_a, officer_b):
    job = upload(
        client_as(officer_a), xlsx([["ward-a", "srv-01"]], header=["Mã đơn vị", "Tên máy"])
    )
    client = client_as(officer_b)
    assert client.get(reverse("inventory:import-job", args=[job.pk])).status_code == 404
    assert client.get(reverse("inventory:import-status", args=[job.pk])).status_code == 404


def test_a_viewer_cannot_upload(client_as, viewer_a):
    client = client_as(viewer_a)
    response = client.post(
        reverse("inventory:import-start"), {"kind": "hosts", "file": xlsx([["ward-a", "x"]])}
    )
    assert response.status_code == 403


def test_a_file_over_the_size_limit_is_refused(client_as, officer_a, settings):
    settings.LANGUAGE_CODE = "en"  # the assertions read the English message
    settings.UPLOAD_MAX_BYTES = 100
    client = client_as(officer_a)
    response = client.post(
        reverse("inventory:import-start"), {"kind": "hosts", "file": xlsx([["ward-a", "x"]])}
    )
    assert response.status_code == 200
    assert "limit" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_only_city_roles_are_offered_the_address_plan(client_as, officer_a):
    client = client_as(officer_a)
    plan = SimpleUploadedFile("plan.csv", b"Unit code,CIDR\nward-a,203.0.113.0/28\n")
    response = client.post(
        reverse("inventory:import-start"), {"kind": "address_plan", "file": plan}
    )
    assert response.status_code == 200
    assert not ImportJob.objects.exists()
