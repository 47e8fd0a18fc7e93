"""Feeds pulled from a real HTTP server on 127.0.0.1: new versions, unchanged pulls,
failures flagged and told to the city, late sources; log folders picked up on schedule."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler

import pytest
from django.utils import timezone

from citysoc.alerts.models import Alert
from citysoc.intel import feeds, fetching, folders
from citysoc.intel.models import IndicatorSource, ListVersion, LogFolder, LogUpload
from citysoc.notify import outbox
from tests import factories
from tests.support.http_server import serving

# The feed servers here listen on 127.0.0.1.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("loopback_allowed")]

BODY = {"/drop.txt": b"; Spamhaus DROP\n198.51.100.0/24 ; SBL1\n"}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        body = BODY.get(self.path)
        if body is None:
            self.send_error(404)
            return
        etag = f'"{len(body)}"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server():
    with serving(Handler) as url:
        yield url


def test_a_feed_is_pulled_once_and_then_not_modified(server, unit_a):
    factories.make_range(unit_a, "198.51.100.0/26")
    source = IndicatorSource.objects.create(name="DROP", url=f"{server}/drop.txt")
    version = feeds.pull(source)
    assert version is not None and version.status == ListVersion.Status.DONE
    assert version.indicator_count == 1
    assert version.sightings_count == 1
    source.refresh_from_db()
    assert source.etag and source.last_new_at and not source.last_error
    assert feeds.pull(source) is None  # 304: no new version
    assert ListVersion.objects.count() == 1
    assert feeds.due() == []  # checked just now


def test_a_failing_feed_raises_one_city_alert_resolved_when_it_works(server, city):
    source = IndicatorSource.objects.create(name="Gone", url=f"{server}/missing.txt")
    report = feeds.pull_due()
    assert "Gone" in report["failed"]
    source.refresh_from_db()
    assert "404" in source.last_error
    alert = Alert.objects.get(dedup_key=f"feed:{source.pk}:pull")
    assert alert.unit == city and alert.status == "triggered"
    assert "Gone" in alert.summary
    IndicatorSource.objects.filter(pk=source.pk).update(last_checked_at=None)
    feeds.pull_due()
    assert Alert.objects.get().count == 1  # the same error is not raised again
    # The feed is back: the alert is resolved by the next pull.
    IndicatorSource.objects.filter(pk=source.pk).update(url=f"{server}/drop.txt")
    source.refresh_from_db()
    feeds.pull(source)
    assert Alert.objects.get().status == "resolved"


def test_a_failed_pull_is_shown_and_alerted_in_vietnamese(
    server, city, city_admin, client_as, settings
):
    settings.LANGUAGE_CODE = "vi"
    source = IndicatorSource.objects.create(name="Gone", url=f"{server}/missing.txt")
    assert "Gone" in feeds.pull_due()["failed"]
    source.refresh_from_db()
    assert "Not Found" not in source.last_error
    assert "trả về mã trạng thái HTTP 404" in source.last_error
    (alert,) = Alert.objects.filter(dedup_key=f"feed:{source.pk}:pull")
    assert source.last_error in alert.summary
    assert "404" in alert.details["detail"]  # the fetcher's own words, for the technician
    page = client_as(city_admin).get("/intel/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "trả về mã trạng thái HTTP 404" in page and "Not Found" not in page


def test_without_a_city_unit_the_failure_is_mailed(server, db, mailoutbox, settings):
    settings.ADMINS = [("Ops", "ops@example.gov.vn")]
    IndicatorSource.objects.create(name="Gone", url=f"{server}/missing.txt")
    feeds.pull_due()
    outbox.send_due()
    assert len(mailoutbox) == 1 and "Gone" in mailoutbox[0].subject
    assert mailoutbox[0].to == ["ops@example.gov.vn"]


def test_a_source_without_news_is_late(db):
    source = IndicatorSource.objects.create(name="Monthly", expected_every_days=31)
    assert feeds.staleness(source) == "never"
    source.last_new_at = timezone.now() - timezone.timedelta(days=70)
    assert feeds.staleness(source) == "late"
    source.last_new_at = timezone.now() - timezone.timedelta(days=20)
    assert feeds.staleness(source) == "ok"
    assert fetching.staleness is not None


def test_log_folders_pick_up_new_files_once(unit_a, tmp_path, settings):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.dummy.DummyBackend",
            "QUEUES": ["default", "imports"],
        }
    }
    (tmp_path / "fw-1.log").write_text("a\n")
    folder = LogFolder.objects.create(unit=unit_a, path=str(tmp_path), pattern="*.log")
    assert len(folders.scan_folder(folder)) == 1
    folder.refresh_from_db()
    assert folders.scan_folder(folder) == []  # unchanged file: not again
    (tmp_path / "fw-2.log").write_text("b\n")
    assert len(folders.scan_folder(folder)) == 1
    assert LogUpload.objects.filter(unit=unit_a).count() == 2
    missing = LogFolder.objects.create(unit=unit_a, path=str(tmp_path / "nope"))
    assert folders.scan_folder(missing) == []
    missing.refresh_from_db()
    # Shown on the logs page in the hub's language (Vietnamese by default).
    assert "không phải là thư mục" in missing.last_error
    assert "not a folder" not in missing.last_error
