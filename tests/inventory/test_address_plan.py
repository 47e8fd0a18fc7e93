"""The city's address plan: `citysoc import address-plan FILE [--json]` and the web kind."""

from __future__ import annotations

import json

import openpyxl

from citysoc import cli
from citysoc.core.models import AuditEntry, Unit
from citysoc.inventory import address_plan, import_jobs
from citysoc.inventory.models import IpRange


def test_the_cli_imports_the_valid_rows_and_prints_json(fixture_path, unit_a, capsys):
    cli.main(["import", "address-plan", str(fixture_path("import/address_plan.csv")), "--json"])

    summary = json.loads(capsys.readouterr().out)
    assert summary["rows"] == 6
    assert summary["created_units"] == 2
    assert summary["created_ranges"] == 4
    assert [item["row"] for item in summary["rejected"]] == [6, 7]
    assert "203.0.113.300/24" in summary["rejected"][0]["reason"]
    assert "village" in summary["rejected"][1]["reason"]
    ward_c = Unit.objects.get(code="ward-c")
    assert (ward_c.parent.code, ward_c.kind, ward_c.name) == ("city", "ward", "Phường Trung Sơn")
    assert sorted(ward_c.ranges.values_list("text", "provider__code")) == [
        ("203.0.113.64/27", "isp-viettel"),
        ("203.0.113.96/28", "isp-viettel"),
    ]
    assert list(unit_a.ranges.values_list("text", flat=True)) == ["203.0.113.128/26"]
    assert Unit.objects.get(code="isp-viettel").kind == Unit.Kind.ISP
    assert AuditEntry.objects.filter(action="import").count() == 1


def test_the_cli_fails_when_every_row_is_rejected(tmp_path, city, capsys):
    (tmp_path / "plan.csv").write_text("Unit code,Unit name,CIDR\nward-z,Z,10.0.0.999/8\n")
    assert cli.main(["import", "address-plan", str(tmp_path / "plan.csv")]) != 0
    assert "row 2" in capsys.readouterr().out
    assert not Unit.objects.filter(code="ward-z").exists()


def test_importing_the_same_plan_twice_creates_nothing_new(fixture_path, unit_a):
    import_jobs.import_address_plan(fixture_path("import/address_plan.csv"))
    again = import_jobs.import_address_plan(fixture_path("import/address_plan.csv"))
    assert (again["created_units"], again["created_ranges"]) == (0, 0)
    assert IpRange.objects.count() == 4


def test_it_reads_an_xlsx_plan_with_vietnamese_headers(tmp_path, city):
    book = openpyxl.Workbook()
    book.active.append(["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Dải địa chỉ", "Nhà cung cấp"])
    book.active.append(["school-x", "Trường Tiểu học X", "Trường học", "2001:db8:10::/48", ""])
    book.save(tmp_path / "plan.xlsx")

    summary = import_jobs.import_address_plan(tmp_path / "plan.xlsx")

    assert summary == {"rows": 1, "created_units": 1, "created_ranges": 1, "rejected": []}
    assert IpRange.objects.get().version == 6
    assert "1 ranges created" in address_plan.describe(summary)


def test_a_plan_without_a_cidr_column_imports_nothing_and_says_why(tmp_path, city):
    (tmp_path / "plan.csv").write_text("Unit code,Unit name\nward-z,Z\n", encoding="utf-8")
    summary = import_jobs.import_address_plan(tmp_path / "plan.csv")
    assert summary["created_units"] == 0
    assert summary["rejected"][0]["row"] == 1
    assert "Dải địa chỉ" in summary["rejected"][0]["reason"]
    assert not Unit.objects.filter(code="ward-z").exists()


def test_a_city_admin_imports_a_plan_in_the_web_ui(client_as, city_admin, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from citysoc.inventory.models import ImportJob

    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "imports"],
        }
    }
    settings.MEDIA_ROOT = tmp_path
    client = client_as(city_admin)
    plan = SimpleUploadedFile(
        "plan.csv", "Mã đơn vị,Tên đơn vị,CIDR\nward-w,Phường W,198.51.100.0/26\n".encode()
    )
    client.post(reverse("inventory:import-start"), {"kind": "address_plan", "file": plan})
    job = ImportJob.objects.get()
    client.post(reverse("inventory:import-confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Unit.objects.get(code="ward-w").ranges.get().text == "198.51.100.0/26"
