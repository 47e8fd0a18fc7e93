"""A signed-in session lives while it is used and ends SESSION_IDLE_MINUTES after its last
use, without a database write on every page view (core/middleware.py: IdleSessionMiddleware).
"""

from __future__ import annotations

import datetime as dt

import time_machine
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def _session_writes(captured: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in captured.captured_queries
        if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")
    ]


def _expiry() -> dt.datetime:
    return Session.objects.get().expire_date


def test_a_session_in_use_is_written_again_at_most_once_a_minute(client, officer_a, settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60  # one duty shift
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(officer_a)
        assert client.get("/").status_code == 200
        assert _expiry() == START + dt.timedelta(hours=8)

        clock.shift(dt.timedelta(seconds=30))
        with CaptureQueriesContext(connection) as page_views:
            assert client.get("/").status_code == 200
            assert client.get("/api/units/").status_code == 200
        assert _session_writes(page_views) == []  # a page view is not a database write
        assert _expiry() == START + dt.timedelta(hours=8)

        clock.shift(dt.timedelta(seconds=31))  # a minute since the last write
        with CaptureQueriesContext(connection) as page_view:
            assert client.get("/").status_code == 200
        assert len(_session_writes(page_view)) == 1
        assert _expiry() == START + dt.timedelta(hours=8, seconds=61)


def test_a_session_left_idle_for_the_whole_shift_ends(client, officer_a):
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(officer_a)
        assert client.get("/").status_code == 200
        clock.shift(dt.timedelta(hours=7, minutes=59))
        assert client.get("/").status_code == 200  # used once more before the end: kept
        clock.shift(dt.timedelta(hours=7, minutes=59))  # 15 h 58 after signing in
        assert client.get("/").status_code == 200
        clock.shift(dt.timedelta(hours=8, seconds=1))  # then left for a whole shift
        page = client.get("/")
    assert page.status_code == 302
    assert page["Location"].startswith("/accounts/login/")


def test_a_stale_cookie_with_nobody_signed_in_writes_no_session(client, db):
    client.cookies["sessionid"] = "no-such-session-0123456789abcdef"
    assert client.get("/accounts/login/").status_code == 200
    assert not Session.objects.exists()
