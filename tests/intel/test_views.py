"""The botnet-list pages as the city and as the units use them."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from citysoc.intel.models import (
    CleanupEvidence,
    CleanupTask,
    IndicatorSource,
    ListVersion,
    LogFolder,
    LogUpload,
)
from tests import factories
from tests.intel.support import import_text

pytestmark = pytest.mark.django_db

LIST = "# January\n192.0.2.10\n198.51.100.20\n300.1.1.1\n"


@pytest.fixture(autouse=True)
def immediate_tasks(settings, tmp_path):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "imports"],
        }
    }
    settings.MEDIA_ROOT = tmp_path
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def plan(unit_a, unit_b):
    factories.make_range(unit_a, "192.0.2.0/24")
    factories.make_host(unit_a, hostname="ketoan-01", ipv4="192.0.2.10")
    factories.make_range(unit_b, "198.51.100.0/24")


@pytest.fixture
def version(plan):
    return import_text(LIST, name="thang-1.txt")[0]


def task_of(unit) -> CleanupTask:
    return CleanupTask.objects.get(unit=unit)


def log_of(unit) -> LogUpload:
    log = LogUpload(unit=unit, filename=f"{unit.code}.log", size=3)
    log.file.save(f"{unit.code}.log", ContentFile(b"x\n"), save=True)
    return log


def test_every_page_opens_for_the_city_admin(client_as, city_admin, version, unit_a):
    client = client_as(city_admin)
    task = task_of(unit_a)
    log = log_of(unit_a)
    urls = [
        reverse("intel:home"),
        reverse("intel:source-create"),
        reverse("intel:source-edit", args=[version.source_id]),
        reverse("intel:version-detail", args=[version.pk]),
        reverse("intel:task-list"),
        reverse("intel:task-detail", args=[task.pk]),
        reverse("intel:sighting-list"),
        reverse("intel:log-list"),
        reverse("intel:log-upload"),
        reverse("intel:log-detail", args=[log.pk]),
        reverse("intel:city"),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_the_version_page_shows_counts_rejected_rows_and_indicators_to_the_city(
    client_as, city_admin, version
):
    page = client_as(city_admin).get(reverse("intel:version-detail", args=[version.pk]))
    text = page.content.decode()
    assert page.context["rows_total"] == 3
    assert "300.1.1.1" in text  # the rejected row with its reason
    assert "198.51.100.20" in text  # the indicators table
    assert [c.unit_code for c in page.context["changes"]] == ["ward-a", "ward-b"]


def test_a_unit_sees_only_its_own_change_and_not_the_list(client_as, officer_a, version):
    page = client_as(officer_a).get(reverse("intel:version-detail", args=[version.pk]))
    text = page.content.decode()
    assert [c.unit_code for c in page.context["changes"]] == ["ward-a"]
    assert "198.51.100.20" not in text
    assert "300.1.1.1" not in text
    assert "sensors/?as=zeek_intel" in text


def test_a_unit_downloads_the_list_for_its_sensors(client_as, officer_a, version):
    response = client_as(officer_a).get(
        reverse("intel:version-sensors", args=[version.pk]) + "?as=plain_csv"
    )
    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    assert lines[0] == "indicator,kind,family,source,version,c2"
    assert sorted(line.split(",")[0] for line in lines[1:]) == ["192.0.2.10", "198.51.100.20"]


def test_a_unit_user_sees_only_its_tasks_and_404s_on_the_others(
    client_as, officer_a, version, unit_a, unit_b
):
    client = client_as(officer_a)
    page = client.get(reverse("intel:task-list"))
    assert [t.ip for t in page.context["table"].rows] == ["192.0.2.10"]
    other = task_of(unit_b)
    assert client.get(reverse("intel:task-detail", args=[other.pk])).status_code == 404
    response = client.post(
        reverse("intel:task-detail", args=[other.pk]), {"action": "cleaned", "tool": "x"}
    )
    assert response.status_code == 404
    assert task_of(unit_b).status == CleanupTask.Status.OPEN


def test_a_read_only_user_of_the_unit_is_refused_with_403(client_as, viewer_a, version, unit_a):
    task = task_of(unit_a)
    client = client_as(viewer_a)
    assert client.get(reverse("intel:task-detail", args=[task.pk])).status_code == 200
    response = client.post(reverse("intel:task-detail", args=[task.pk]), {"action": "start"})
    assert response.status_code == 403
    assert task_of(unit_a).status == CleanupTask.Status.OPEN


def test_the_work_form_moves_a_task_to_cleaned_with_an_evidence_file(
    client_as, officer_a, version, unit_a
):
    task = task_of(unit_a)
    client = client_as(officer_a)
    client.post(reverse("intel:task-detail", args=[task.pk]), {"action": "start"})
    assert task_of(unit_a).status == CleanupTask.Status.IN_PROGRESS
    response = client.post(
        reverse("intel:task-detail", args=[task.pk]),
        {
            "action": "cleaned",
            "tool": "KVRT 20",
            "findings": "Mirai trong C:\\Temp, đã xoá",
            "file": SimpleUploadedFile("quet-sach.txt", b"0 threats"),
            "note": "kết quả quét",
        },
    )
    assert response.status_code == 302
    task = task_of(unit_a)
    assert task.status == CleanupTask.Status.CLEANED
    assert (task.tool, task.cleaned_by) == ("KVRT 20", officer_a)
    evidence = CleanupEvidence.objects.get(task=task)
    assert evidence.filename == "quet-sach.txt"
    download = client.get(reverse("intel:evidence-download", args=[evidence.pk]))
    assert b"".join(download.streaming_content) == b"0 threats"
    page = client.get(reverse("intel:task-detail", args=[task.pk])).content.decode()
    assert "quet-sach.txt" in page


def test_reporting_cleaned_needs_the_tool_and_findings(client_as, officer_a, version, unit_a):
    task = task_of(unit_a)
    response = client_as(officer_a).post(
        reverse("intel:task-detail", args=[task.pk]), {"action": "cleaned"}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"tool", "findings"}
    assert task_of(unit_a).status == CleanupTask.Status.OPEN


def test_the_other_units_evidence_answers_404(client_as, officer_b, version, unit_a):
    evidence = CleanupEvidence.objects.create(
        task=task_of(unit_a), file=ContentFile(b"x", "e.txt"), filename="e.txt"
    )
    response = client_as(officer_b).get(reverse("intel:evidence-download", args=[evidence.pk]))
    assert response.status_code == 404


def test_the_upload_form_queues_and_imports_a_version(client_as, city_admin, plan, unit_a):
    response = client_as(city_admin).post(
        reverse("intel:home"),
        {
            "file": SimpleUploadedFile("botnet-02.txt", b"192.0.2.10\n"),
            "new_source": "VNCERT botnet",
            "period": "2024-02",
            "format": "auto",
        },
    )
    version = ListVersion.objects.get()
    assert response.url == reverse("intel:version-detail", args=[version.pk])
    assert (version.source.name, version.period, version.status) == (
        "VNCERT botnet",
        "2024-02",
        ListVersion.Status.DONE,  # the immediate task backend ran the import
    )
    assert task_of(unit_a).ip == "192.0.2.10"


def test_the_same_file_twice_is_the_same_version(client_as, city_admin, version):
    client = client_as(city_admin)
    response = client.post(
        reverse("intel:home"),
        {
            "file": SimpleUploadedFile("again.txt", LIST.encode()),
            "source": version.source_id,
            "format": "auto",
        },
    )
    assert response.url == reverse("intel:version-detail", args=[version.pk])
    assert ListVersion.objects.count() == 1


def test_a_unit_user_cannot_upload_lists(client_as, officer_a, plan):
    response = client_as(officer_a).post(
        reverse("intel:home"),
        {"file": SimpleUploadedFile("x.txt", b"192.0.2.1\n"), "new_source": "x", "format": "auto"},
    )
    assert response.status_code == 403
    assert not ListVersion.objects.exists()


def sheet(header, rows) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_mapping_form_saves_the_columns_and_imports_again(client_as, city_admin, plan, unit_a):
    client = client_as(city_admin)
    data = sheet(["Máy nhiễm", "Loại"], [["192.0.2.10", "mirai"], ["192.0.2.11", "gafgyt"]])
    client.post(
        reverse("intel:home"),
        {
            "file": SimpleUploadedFile("bao-cao.xlsx", data),
            "new_source": "Bộ Công an",
            "format": "botnet_sheet",
        },
    )
    version = ListVersion.objects.get()
    assert version.status == ListVersion.Status.FAILED
    page = client.get(reverse("intel:version-detail", args=[version.pk]))
    assert "Máy nhiễm" in page.content.decode()
    assert page.context["mapping_form"] is not None

    client.post(
        reverse("intel:version-mapping", args=[version.pk]), {"ip": "Máy nhiễm", "family": "Loại"}
    )

    version.refresh_from_db()
    assert version.source.column_mapping == {"ip": "Máy nhiễm", "family": "Loại"}
    assert version.status == ListVersion.Status.DONE
    assert version.indicator_count == 2
    assert CleanupTask.objects.get(unit=unit_a, ip="192.0.2.10").family == "mirai"


def test_only_the_city_maps_columns(client_as, officer_a, city_admin, plan):
    version = ListVersion.objects.create(
        source=IndicatorSource.objects.create(name="s"),
        filename="x.xlsx",
        sha256="0" * 64,
        status=ListVersion.Status.FAILED,
        meta={"headers": ["A"], "guessed": {}},
    )
    response = client_as(officer_a).post(
        reverse("intel:version-mapping", args=[version.pk]), {"ip": "A"}
    )
    assert response.status_code == 403
    assert IndicatorSource.objects.get(name="s").column_mapping == {}


def test_a_source_can_be_added_as_a_feed(client_as, city_admin, db):
    response = client_as(city_admin).post(
        reverse("intel:source-create"),
        {
            "name": "Feodo Tracker",
            "url": "https://feodotracker.abuse.ch/downloads/ipblocklist.csv",
            "format": "feodo",
            "every_hours": 6,
            "expected_every_days": 2,
            "opens_tasks": "on",
            "active": "on",
        },
    )
    assert response.status_code == 302
    source = IndicatorSource.objects.get()
    assert (source.every_hours, source.format, source.is_feed) == (6, "feodo", True)


def test_a_feed_url_must_be_http_or_file(client_as, city_admin, db):
    response = client_as(city_admin).post(
        reverse("intel:source-create"),
        {
            "name": "x",
            "url": "ftp://x",
            "format": "auto",
            "every_hours": 6,
            "expected_every_days": 2,
        },
    )
    assert "url" in response.context["form"].errors


def test_the_home_page_flags_a_failing_feed(client_as, city_admin, db):
    IndicatorSource.objects.create(
        name="Feodo", url="https://example.invalid/x", last_error="HTTP 503 from the server"
    )
    text = client_as(city_admin).get(reverse("intel:home")).content.decode()
    assert "HTTP 503 from the server" in text


def test_a_unit_uploads_a_log_for_its_own_unit_only(client_as, officer_a, unit_a, unit_b):
    client = client_as(officer_a)
    form = client.get(reverse("intel:log-upload")).context["form"]
    assert list(form.fields["unit"].queryset) == [unit_a]
    response = client.post(
        reverse("intel:log-upload"),
        {"unit": unit_b.pk, "file": SimpleUploadedFile("conn.log", b"x"), "format": "auto"},
    )
    assert "unit" in response.context["form"].errors
    assert not LogUpload.objects.exists()


def test_a_log_upload_is_matched_and_shown(client_as, officer_a, unit_a, plan):
    import_text("203.0.113.50\n", source="Feodo C2")
    factories.make_host(unit_a, hostname="pc-05", ipv4="192.0.2.5")
    zeek = (
        "#separator \\x09\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\n"
        "1704070800.0\tC1\t192.0.2.5\t51000\t203.0.113.50\t443\ttcp\n"
        "garbage line\n"
    )
    client = client_as(officer_a)
    response = client.post(
        reverse("intel:log-upload"),
        {
            "unit": unit_a.pk,
            "file": SimpleUploadedFile("conn.log", zeek.encode()),
            "format": "auto",
        },
    )
    log = LogUpload.objects.get()
    assert response.url == reverse("intel:log-detail", args=[log.pk])
    page = client.get(response.url)
    assert log.__class__.objects.get().status == LogUpload.Status.DONE
    assert [h["ip"] for h in page.context["hosts"]] == ["192.0.2.5"]
    status = client.get(reverse("intel:log-status", args=[log.pk])).json()
    assert status["finished"] is True


def test_the_other_units_log_answers_404(client_as, officer_b, unit_a):
    log = log_of(unit_a)
    client = client_as(officer_b)
    assert client.get(reverse("intel:log-detail", args=[log.pk])).status_code == 404
    assert client.get(reverse("intel:log-status", args=[log.pk])).status_code == 404


def test_log_folders_are_managed_by_the_city(client_as, city_admin, officer_a, unit_a, tmp_path):
    client = client_as(city_admin)
    client.post(
        reverse("intel:log-list"),
        {"unit": unit_a.pk, "path": str(tmp_path), "pattern": "*.log", "format": "auto"},
    )
    folder = LogFolder.objects.get()
    officer = client_as(officer_a)
    assert officer.post(reverse("intel:folder-delete", args=[folder.pk])).status_code == 403
    assert str(tmp_path) in officer.get(reverse("intel:log-list")).content.decode()
    client.force_login(city_admin)
    client.post(reverse("intel:folder-delete", args=[folder.pk]))
    assert not LogFolder.objects.exists()


def test_the_other_units_folder_answers_404(client_as, officer_b, unit_a):
    folder = LogFolder.objects.create(unit=unit_a, path="/srv/logs/ward-a")
    client = client_as(officer_b)
    assert client.post(reverse("intel:folder-delete", args=[folder.pk])).status_code == 404
    assert "/srv/logs/ward-a" not in client.get(reverse("intel:log-list")).content.decode()
    assert LogFolder.objects.exists()


def test_task_filters_and_sorting(client_as, city_admin, version, unit_b):
    client = client_as(city_admin)
    page = client.get(reverse("intel:task-list"), {"unit": unit_b.pk, "sort": "-ip"})
    assert [t.ip for t in page.context["table"].rows] == ["198.51.100.20"]
    page = client.get(reverse("intel:task-list"), {"status": "verified"})
    assert list(page.context["table"].rows) == []


def test_sightings_filter_by_list_and_unit(client_as, city_admin, officer_a, version, unit_a):
    page = client_as(city_admin).get(
        reverse("intel:sighting-list"), {"version": version.pk, "unit": unit_a.pk}
    )
    assert [s.ip for s in page.context["table"].rows] == ["192.0.2.10"]
    page = client_as(officer_a).get(reverse("intel:sighting-list"))
    assert [s.ip for s in page.context["table"].rows] == ["192.0.2.10"]


def test_the_city_view_is_for_city_roles(client_as, officer_a, viewer, version):
    assert client_as(officer_a).get(reverse("intel:city")).status_code == 403
    page = client_as(viewer).get(reverse("intel:city"))
    assert page.status_code == 200
    assert [r["unit"] for r in page.context["ranked"]] == ["ward-a", "ward-b"]
    assert page.context["bars"][0]["count"] == 2
    assert page.context["trend"] == {"Phường Bắc Sơn": [1], "Phường Nam Sơn": [1]}
    assert "<svg" in page.content.decode()


def test_the_task_list_query_count_does_not_grow(
    client_as, city_admin, version, django_assert_max_num_queries
):
    client = client_as(city_admin)
    with django_assert_max_num_queries(12):
        client.get(reverse("intel:task-list"))


def test_list_formats_are_named_in_vietnamese(client_as, city_admin, unit_a):
    client = client_as(city_admin)
    client.cookies["citysoc_language"] = "vi"
    page = client.get(reverse("intel:home")).content.decode()
    assert "Bảng danh sách botnet (.xlsx, .csv)" in page
    assert "Botnet list spreadsheet" not in page and "Plain text list" not in page
    version, _result = import_text("203.0.113.50\n", name="ds.txt")
    assert version.format == "plain"
    page = client.get(reverse("intel:version-detail", args=[version.pk])).content.decode()
    assert "Danh sách dạng văn bản" in page and "Plain text list" not in page
