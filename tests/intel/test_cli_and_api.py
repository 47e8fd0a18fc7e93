"""`citysoc import-indicators` and /api/indicator-lists/, /api/sightings/, /api/cleanup-tasks/."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from citysoc import cli
from citysoc.intel.models import CleanupTask
from tests import factories
from tests.intel.support import import_text

pytestmark = pytest.mark.django_db

LIST = "198.51.100.10\n203.0.113.5\n999.1.1.1\n"


@pytest.fixture
def plan(unit_a, unit_b):
    factories.make_range(unit_a, "198.51.100.0/26")
    factories.make_range(unit_b, "203.0.113.0/28")


def test_cli_prints_the_json_summary_and_exit_code(plan, tmp_path, capsys):
    path = tmp_path / "botnet-2024-01.txt"
    path.write_text(LIST)
    code = cli.main(["import-indicators", str(path), "--source", "VNCERT botnet", "--json"])
    summary = json.loads(capsys.readouterr().out)
    assert code == 1  # imported, with a rejected row
    assert {"version", "rows", "indicators", "rejected", "sightings", "tasks_opened"} <= set(
        summary
    )
    assert summary["rows"] == 3
    assert summary["indicators"] == 2
    assert summary["rejected"][0]["row"] == 3
    assert "999.1.1.1" in summary["rejected"][0]["reason"] or summary["rejected"][0]["reason"]
    assert summary["sightings"] == 2
    assert summary["tasks_opened"] == 2
    # The same file again: same version, nothing new.
    cli.main(["import-indicators", str(path), "--source", "VNCERT botnet", "--json"])
    again = json.loads(capsys.readouterr().out)
    assert again["version"] == summary["version"]
    assert again["tasks_opened"] == 0
    assert CleanupTask.objects.count() == 2


def test_cli_missing_file_is_exit_2(db, capsys):
    assert cli.main(["import-indicators", "/nonexistent.txt", "--source", "x"]) == 2
    assert "file not found" in capsys.readouterr().err


def test_unit_b_never_sees_unit_a_sightings_or_tasks(plan, client, officer_a, officer_b):
    import_text(LIST)
    client.force_login(officer_b)
    body = client.get("/api/sightings/").json()
    assert [s["ip"] for s in body["results"]] == ["203.0.113.5"]
    tasks = client.get("/api/cleanup-tasks/").json()["results"]
    assert [(t["unit"], t["ip"]) for t in tasks] == [("ward-b", "203.0.113.5")]
    a_task = CleanupTask.objects.get(ip="198.51.100.10")
    assert client.get(f"/api/cleanup-tasks/{a_task.pk}/").status_code == 404
    response = client.patch(
        f"/api/cleanup-tasks/{a_task.pk}/", {"status": "cleaned"}, content_type="application/json"
    )
    assert response.status_code == 404
    lists = client.get("/api/indicator-lists/").json()["results"]
    assert [u["unit"] for u in lists[0]["units"]] == ["ward-b"]
    assert "198.51.100.10" not in json.dumps(lists)


def test_a_unit_reports_its_task_cleaned_through_the_api(plan, client, officer_a):
    import_text(LIST)
    task = CleanupTask.objects.get(ip="198.51.100.10")
    client.force_login(officer_a)
    response = client.patch(
        f"/api/cleanup-tasks/{task.pk}/",
        {"status": "cleaned", "tool": "Kaspersky", "findings": "Trojan.Win32 removed"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    task.refresh_from_db()
    assert task.status == CleanupTask.Status.CLEANED
    assert task.cleaned_by == officer_a
    assert task.tool == "Kaspersky"
    refused = client.patch(
        f"/api/cleanup-tasks/{task.pk}/", {"status": "verified"}, content_type="application/json"
    )
    assert refused.status_code == 400


def test_list_versions_carry_new_still_delisted_per_unit(plan, client, city_admin):
    import_text("198.51.100.10\n198.51.100.11\n", period="2024-01")
    import_text("198.51.100.11\n198.51.100.12\n", period="2024-02")
    client.force_login(city_admin)
    newest = client.get("/api/indicator-lists/").json()["results"][0]
    unit = next(u for u in newest["units"] if u["unit"] == "ward-a")
    assert unit["new"] == ["198.51.100.12"]
    assert unit["still"] == ["198.51.100.11"]
    assert unit["delisted"] == ["198.51.100.10"]


def test_upload_through_the_api_is_city_only_and_queues_the_version(
    plan, client, city_admin, officer_a
):
    client.force_login(officer_a)
    file = SimpleUploadedFile("list.txt", LIST.encode())
    denied = client.post("/api/indicator-lists/", {"file": file, "source": "VNCERT botnet"})
    assert denied.status_code == 403
    client.force_login(city_admin)
    file = SimpleUploadedFile("list.txt", LIST.encode())
    made = client.post(
        "/api/indicator-lists/", {"file": file, "source": "VNCERT botnet", "period": "2024-01"}
    )
    assert made.status_code == 201, made.content
    assert made.json()["status"] in ("queued", "done")
    file = SimpleUploadedFile("list.txt", LIST.encode())
    again = client.post("/api/indicator-lists/", {"file": file, "source": "VNCERT botnet"})
    assert again.status_code == 200
    assert again.json()["duplicate"] is True
