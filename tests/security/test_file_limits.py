"""Issue 13, item 7: files that are small outside and huge inside.

An .xlsx is a zip: a 100 KB upload held 28 MB of XML and 300,000 rows, took 22 s of the
only worker (which also runs escalations) and made a 31 MB errors file. The limits are
lowered here so the bombs stay small; the checks are the same at full size.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from citysoc import runtime
from citysoc.alerts import tasks as alert_tasks
from citysoc.alerts.models import Alert, AlertSource
from citysoc.alerts.sources import base as source_base
from citysoc.compliance.libraries import LibraryInvalid
from citysoc.compliance.library_sheets import read_workbook
from citysoc.intel import importing
from citysoc.intel import tasks as intel_tasks
from citysoc.intel.models import ListVersion
from citysoc.inventory import spreadsheets
from citysoc.inventory import tasks as inventory_tasks
from citysoc.inventory.models import ImportJob
from citysoc.notify import tasks as notify_tasks
from tests.support.ports import free_port

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HOST_HEADER = ["Mã đơn vị", "Tên máy", "Loại máy", "Địa chỉ IPv4"]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def immediate_tasks(settings, tmp_path):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "imports"],
        }
    }
    settings.MEDIA_ROOT = tmp_path


def xlsx(rows: list[list], header=HOST_HEADER) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def host_rows(n: int, ip=lambda i: f"10.{i // 65536}.{i // 256 % 256}.{i % 256}") -> list[list]:
    return [["ward-a", f"pc-{i:06d}", "workstation", ip(i)] for i in range(n)]


def with_padding(data: bytes, size: int) -> bytes:
    """The workbook plus one part of `size` zero bytes: tiny packed, huge unpacked."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/media/padding.bin", b"\0" * size, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def post_upload(client, name: str, data: bytes, kind: str = "hosts"):
    file = SimpleUploadedFile(name, data)
    return client.post(reverse("inventory:import-start"), {"kind": kind, "file": file})


# --- inventory imports ----------------------------------------------------------------------


def test_an_xlsx_unpacking_past_the_limit_is_refused_at_upload(client_as, officer_a, settings):
    settings.UPLOAD_MAX_UNPACKED_BYTES = 200 * 1024
    data = xlsx(host_rows(3000))
    assert len(data) < 100 * 1024  # small outside
    response = post_upload(client_as(officer_a), "may-chu.xlsx", data)
    assert response.status_code == 200  # the form again, with the reason
    page = response.content.decode()
    assert "the limit is 0.2 MB" in page
    assert not ImportJob.objects.exists()


def test_an_xlsx_compressed_beyond_the_ratio_is_refused(client_as, officer_a):
    data = with_padding(xlsx(host_rows(3)), 12 * 1024 * 1024)
    assert len(data) < 100 * 1024
    response = post_upload(client_as(officer_a), "may-chu.xlsx", data)
    page = response.content.decode()
    assert "the limit is 100 times" in page
    assert not ImportJob.objects.exists()


def test_an_xlsx_with_more_rows_than_the_limit_is_refused_at_upload(client_as, officer_a, settings):
    settings.IMPORT_MAX_ROWS = 50
    response = post_upload(client_as(officer_a), "may-chu.xlsx", xlsx(host_rows(200)))
    assert response.status_code == 200
    assert "The sheet &#x27;Sheet&#x27; has more than 50 rows" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_rows_are_counted_even_when_the_sheet_hides_its_dimension(settings, tmp_path):
    # openpyxl's write-only mode states no dimension; the count must not rely on one.
    settings.IMPORT_MAX_ROWS = 50
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Máy")
    for row in [HOST_HEADER, *host_rows(200)]:
        sheet.append(row)
    path = tmp_path / "may-chu.xlsx"
    book.save(path)
    with pytest.raises(spreadsheets.SpreadsheetError, match="'Máy' has more than 50 rows"):
        spreadsheets.open_table(path)


def test_a_csv_with_more_rows_than_the_limit_fails(client_as, officer_a, settings):
    settings.IMPORT_MAX_ROWS = 50
    out = io.StringIO()
    csv.writer(out).writerows([HOST_HEADER, *host_rows(200)])
    job = _upload_job(client_as(officer_a), "may-chu.csv", out.getvalue().encode())
    assert job.status == ImportJob.Status.FAILED
    assert "more than 50 rows" in job.message


def _upload_job(client, name: str, data: bytes) -> ImportJob:
    response = post_upload(client, name, data)
    assert response.status_code == 302, response.content
    return ImportJob.objects.latest("pk")


def test_the_errors_kept_are_the_first_ones_and_a_count(client_as, officer_a, settings):
    settings.IMPORT_MAX_ERRORS = 5
    client = client_as(officer_a)
    job = _upload_job(client, "may-chu.xlsx", xlsx(host_rows(40, ip=lambda i: f"999.0.0.{i}")))
    assert job.status == ImportJob.Status.VALIDATED
    assert job.rejected_count == 40
    assert len(job.errors) == 6  # five errors and the line that counts the rest
    assert "35 more errors" in job.errors[-1]["reason"]

    page = client.get(reverse("inventory:import-job", args=[job.pk])).content.decode()
    assert "…and 35 more." in page
    download = client.get(reverse("inventory:import-errors", args=[job.pk]))
    lines = b"".join(download.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + 6
    assert "35 more errors" in lines[-1]


# --- botnet lists ---------------------------------------------------------------------------


def _list_xlsx(n: int) -> bytes:
    return xlsx([[f"203.0.{i // 256}.{i % 256}", "c2.example"] for i in range(n)], ["IP", "C&C"])


def test_a_list_sheet_past_the_row_limit_ends_failed_naming_it(settings):
    settings.IMPORT_MAX_ROWS = 50
    source = importing.source_named("VNCERT botnet")
    version, _created = importing.receive(source, _list_xlsx(200), "botnet.xlsx")
    with pytest.raises(ValueError):
        intel_tasks.import_version.call(version.pk)
    version.refresh_from_db()
    assert version.status == ListVersion.Status.FAILED
    assert "more than 50 rows" in version.message


def test_a_list_sheet_unpacking_past_the_limit_ends_failed(settings):
    settings.UPLOAD_MAX_UNPACKED_BYTES = 1024 * 1024
    source = importing.source_named("VNCERT botnet")
    data = with_padding(_list_xlsx(5), 2 * 1024 * 1024)
    version, _created = importing.receive(source, data, "botnet.xlsx")
    with pytest.raises(ValueError):
        intel_tasks.import_version.call(version.pk)
    version.refresh_from_db()
    assert version.status == ListVersion.Status.FAILED
    assert "the limit is 1.0 MB" in version.message


def test_the_list_upload_page_refuses_a_bomb_at_once(client_as, city_admin, settings):
    settings.UPLOAD_MAX_UNPACKED_BYTES = 1024 * 1024
    data = with_padding(_list_xlsx(5), 2 * 1024 * 1024)
    file = SimpleUploadedFile("botnet.xlsx", data)
    response = client_as(city_admin).post(
        reverse("intel:home"), {"file": file, "new_source": "VNCERT botnet", "format": "auto"}
    )
    assert "the limit is 1.0 MB" in response.content.decode()
    assert not ListVersion.objects.exists()


# --- compliance workbooks --------------------------------------------------------------------


def test_a_compliance_workbook_past_the_limit_is_invalid(settings, tmp_path):
    settings.UPLOAD_MAX_UNPACKED_BYTES = 1024 * 1024
    path = tmp_path / "library.xlsx"
    path.write_bytes(with_padding(xlsx([["urn", "x"]], ["key", "value"]), 2 * 1024 * 1024))
    with pytest.raises(LibraryInvalid) as raised:
        read_workbook(path)
    assert "the limit is 1.0 MB" in str(raised.value)


# --- alert intake: gzip bodies ---------------------------------------------------------------


def test_a_gzip_intake_body_unpacking_past_the_limit_is_a_400(client, unit_a, monkeypatch):
    monkeypatch.setattr(source_base, "GZIP_MAX_BYTES", 1024 * 1024)
    source = AlertSource(unit=unit_a, kind="wazuh", name="wazuh of ward-a")
    token = source.new_token()
    source.save()
    record = b'{"rule": {"level": 10, "description": "x"}, "agent": {"name": "a"}}\n'
    body = gzip.compress(record * 40_000)  # 2.6 MB of JSON lines in about 10 KB
    response = client.post(
        "/api/alerts/intake/wazuh/",
        body,
        content_type="application/x-ndjson",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 400
    assert "more than 1 MB, the limit" in response.json()["error"]
    assert not Alert.objects.exists()


def test_a_gzip_intake_body_within_the_limit_is_read(client, unit_a):
    source = AlertSource(unit=unit_a, kind="generic", name="generic of ward-a")
    token = source.new_token()
    source.save()
    body = gzip.compress(
        b'{"action": "trigger", "severity": "high", "summary": "disk full", "dedup_key": "k"}'
    )
    response = client.post(
        "/api/alerts/intake/generic/",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 202, response.content
    assert Alert.objects.count() == 1


# --- a queue of their own ---------------------------------------------------------------------


def test_imports_go_to_the_import_queue_and_alerts_do_not():
    for task in (
        inventory_tasks.check_import,
        inventory_tasks.run_import,
        intel_tasks.import_version,
        intel_tasks.scan_log,
        intel_tasks.pull_feeds,
        intel_tasks.scan_log_folders,
    ):
        assert task.queue_name == "imports", task.name
    for task in (alert_tasks.escalate_due, alert_tasks.check_heartbeats, notify_tasks.send_outbox):
        assert task.queue_name == "default", task.name


def test_serve_starts_one_worker_per_queue():
    queues = [argv[argv.index("--queue-name") + 1] for argv in runtime.worker_commands().values()]
    assert sorted(queues) == ["default", "imports"]


def _statuses(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT task_path, status FROM django_tasks_database_dbtaskresult")
        return {path.rsplit(".", 1)[-1]: status for path, status in rows}


def test_an_escalation_runs_while_an_import_occupies_the_import_worker(tmp_path, migrated_hub):
    """`citysoc serve` for real: an import task holds its worker; escalation still runs."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    env.update(
        CITYSOC_DATA_DIR=str(tmp_path),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    )
    me = [sys.executable, "-m", "citysoc.cli"]
    migrated_hub(tmp_path)
    hold = "from tests.support.holding import hold_the_import_worker as h; h.enqueue(180)"
    enqueue = "from citysoc.alerts.tasks import escalate_due; escalate_due.enqueue()"
    port = free_port()
    proc = subprocess.Popen(
        [*me, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    db = tmp_path / "citysoc.sqlite3"
    try:
        subprocess.run([*me, "shell", "-c", hold], env=env, cwd=ROOT, check=True, timeout=60)
        # First the import worker is busy (it may finish the scheduler's own imports first).
        deadline = time.monotonic() + 120
        while _statuses(db).get("hold_the_import_worker") != "RUNNING":
            assert time.monotonic() < deadline, _statuses(db)
            time.sleep(0.5)
        subprocess.run([*me, "shell", "-c", enqueue], env=env, cwd=ROOT, check=True, timeout=60)
        # The import worker is held for 180 s; on a loaded machine the escalation may take a
        # while to start, but it must finish while the import is still running.
        deadline = time.monotonic() + 150
        seen: dict[str, str] = {}
        while time.monotonic() < deadline:
            seen = _statuses(db)
            if seen.get("escalate_due") == "SUCCESSFUL":
                break
            time.sleep(0.5)
        assert seen.get("escalate_due") == "SUCCESSFUL", seen
        assert seen.get("hold_the_import_worker") == "RUNNING", seen  # still busy
    finally:
        proc.terminate()
        proc.wait(30)
