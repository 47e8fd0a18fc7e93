"""KEV/EPSS feeds stay off until the city sets an address; a failed pull reads in Vietnamese."""

from __future__ import annotations

import importlib
from http.server import BaseHTTPRequestHandler

import pytest
from django.apps import apps

from citysoc.alerts.models import Alert
from citysoc.vulns import feeds
from citysoc.vulns.models import PriorityFeed
from tests.support.http_server import serving

pytestmark = pytest.mark.django_db

OLD_DEFAULTS = importlib.import_module(
    "citysoc.vulns.migrations.0004_feeds_off_until_the_city_sets_them"
)


class NotFound(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.send_error(404)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server():
    with serving(NotFound) as url:
        yield url


def test_a_new_install_pulls_nothing_and_raises_no_alert(city):
    assert [f.url for f in feeds.ensure_feeds()] == ["", ""]
    assert feeds.pull_due()["pulled"] == []
    assert not Alert.objects.filter(dedup_key__startswith="vulns:feed:").exists()


def test_the_page_suggests_the_public_address_to_the_city_and_the_ward(
    client_as, city_admin, officer_a
):
    for user in (city_admin, officer_a):
        body = client_as(user).get("/vulns/feeds/").content.decode()
        assert feeds.SUGGESTED_URLS["kev"] in body and feeds.SUGGESTED_URLS["epss"] in body
    PriorityFeed.objects.filter(kind="kev").update(url="https://kev.example/feed.json")
    body = client_as(city_admin).get("/vulns/feeds/").content.decode()
    assert 'data-testid="suggested-kev"' not in body and 'data-testid="suggested-epss"' in body


@pytest.mark.usefixtures("loopback_allowed")
def test_a_failed_pull_is_shown_and_alerted_in_vietnamese(server, city, settings):
    settings.LANGUAGE_CODE = "vi"
    feeds.ensure_feeds()
    PriorityFeed.objects.filter(kind="kev").update(url=f"{server}/kev.json")
    assert "kev" in feeds.pull_due()["failed"]
    error = PriorityFeed.objects.get(kind="kev").last_error
    assert "Not Found" not in error and "trả về mã trạng thái HTTP 404" in error
    (alert,) = Alert.objects.filter(dedup_key="vulns:feed:kev")
    assert error in alert.summary and "Không tải được" in alert.summary
    assert "404" in alert.details["detail"]  # the fetcher's own words, for the technician


def test_the_migration_empties_a_default_that_never_worked_and_keeps_the_rest(city):
    feeds.ensure_feeds()
    PriorityFeed.objects.filter(kind="kev").update(
        url=OLD_DEFAULTS.OLD_DEFAULTS["kev"], last_error="DNS failed"
    )
    PriorityFeed.objects.filter(kind="epss").update(
        url=OLD_DEFAULTS.OLD_DEFAULTS["epss"], etag='"abc"'
    )
    OLD_DEFAULTS.empty_unused_defaults(apps, None)
    kev = PriorityFeed.objects.get(kind="kev")
    epss = PriorityFeed.objects.get(kind="epss")
    assert (kev.url, kev.last_error) == ("", "")
    assert epss.url == OLD_DEFAULTS.OLD_DEFAULTS["epss"]
