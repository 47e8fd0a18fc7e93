"""The website pages as users see them: lists, a monitor with evidence, baseline, public page."""

from __future__ import annotations

import pytest
from django.utils import timezone

from citysoc.webwatch import recording
from citysoc.webwatch.checks.base import Finding as CheckFinding
from citysoc.webwatch.checks.base import SiteResult
from citysoc.webwatch.models import Finding, Monitor
from tests import factories

pytestmark = pytest.mark.django_db

URL = "https://bacson.example.gov.vn/"
DIFF = "--- baseline\n+++ now\n-UBND PHƯỜNG BẮC SƠN\n+HACKED BY xXx\n"


def make_monitor(unit, **extra) -> Monitor:
    extra.setdefault("url", URL)
    return Monitor.objects.create(unit=unit, name=extra.pop("name", "Cổng phường"), **extra)


def defaced(monitor) -> None:
    """Two checks: the accepted page, then a defaced one."""
    now = timezone.now()
    recording.record(monitor, SiteResult(URL, True, 200, 80, fingerprint={"h": "old"}), now=now)
    finding = CheckFinding(
        "defacement", "high", "Home page replaced", {"diff": DIFF, "changed_ratio": "0.9"}
    )
    result = SiteResult(URL, True, 200, 85, findings=[finding], fingerprint={"h": "new"})
    recording.record(monitor, result, now=now)


def test_home_lists_the_users_monitors_with_uptime_and_findings(
    client_as, officer_a, unit_a, unit_b
):
    mine = make_monitor(unit_a)
    make_monitor(unit_b, name="Cổng phường B", url="https://namson.example.gov.vn/")
    defaced(mine)
    page = client_as(officer_a).get("/webwatch/").content.decode()
    assert "Cổng phường" in page and "Cổng phường B" not in page
    assert "100.00 %" in page or "100,00 %" in page


def test_the_home_page_query_count_does_not_grow_with_monitors(
    client_as, officer_a, unit_a, django_assert_max_num_queries
):
    for i in range(15):
        make_monitor(unit_a, url=f"https://s{i}.example.gov.vn/")
    client = client_as(officer_a)
    with django_assert_max_num_queries(20):
        assert client.get("/webwatch/").status_code == 200


def test_the_monitor_page_shows_the_evidence_and_the_diff(client_as, officer_a, unit_a):
    monitor = make_monitor(unit_a)
    defaced(monitor)
    page = client_as(officer_a).get(f"/webwatch/monitors/{monitor.pk}/").content.decode()
    assert "Home page replaced" in page
    assert '<span class="diff-del">-UBND PHƯỜNG BẮC SƠN</span>' in page
    assert '<span class="diff-add">+HACKED BY xXx</span>' in page
    assert "<polyline" in page


def test_evidence_is_escaped_and_links_are_not_clickable(client_as, officer_a, unit_a):
    monitor = make_monitor(unit_a)
    evil = CheckFinding(
        "injected_links",
        "critical",
        "Hidden gambling link",
        {
            "snippet": '<a href="https://nhacai.example.com/">nhà cái</a>',
            "link": "https://nhacai.example.com/",
        },
        "nhacai.example.com",
    )
    recording.record(monitor, SiteResult(URL, True, 200, 80, findings=[evil]), now=timezone.now())
    finding = Finding.objects.get()
    page = client_as(officer_a).get(f"/webwatch/monitor-findings/{finding.pk}/").content.decode()
    assert "&lt;a href=&quot;https://nhacai.example.com/&quot;&gt;" in page
    assert 'href="https://nhacai.example.com/"' not in page


def test_accepting_the_baseline_clears_the_defacement_finding(client_as, officer_a, unit_a):
    monitor = make_monitor(unit_a)
    defaced(monitor)
    client = client_as(officer_a)
    assert client.get(f"/webwatch/monitors/{monitor.pk}/baseline/").status_code == 200
    response = client.post(f"/webwatch/monitors/{monitor.pk}/baseline/")
    assert response.status_code == 302
    monitor.refresh_from_db()
    assert monitor.baseline == {"h": "new"}
    assert monitor.baseline_by == officer_a
    assert Finding.objects.get().status == "resolved"
    from citysoc.alerts.models import Alert

    assert Alert.objects.get(dedup_key=f"webwatch:{monitor.pk}:defacement").status == "resolved"


def test_a_viewer_cannot_accept_a_baseline(client_as, viewer_a, unit_a):
    monitor = make_monitor(unit_a)
    defaced(monitor)
    response = client_as(viewer_a).post(f"/webwatch/monitors/{monitor.pk}/baseline/")
    assert response.status_code == 403
    assert Finding.objects.get().status == "open"


def test_another_units_monitor_is_not_found(client_as, officer_b, unit_a):
    monitor = make_monitor(unit_a)
    client = client_as(officer_b)
    for path in ("", "edit/", "check/", "baseline/"):
        assert client.get(f"/webwatch/monitors/{monitor.pk}/{path}").status_code == 404
    assert client.post(f"/webwatch/monitors/{monitor.pk}/baseline/").status_code == 404


def test_the_create_form_is_prefilled_from_a_domain(client_as, officer_a, unit_a):
    domain = factories.make_domain(unit_a, "bacson.example.gov.vn")
    client = client_as(officer_a)
    page = client.get("/webwatch/monitors/new/").content.decode()
    assert f"?domain={domain.pk}" in page
    form = client.get(f"/webwatch/monitors/new/?domain={domain.pk}").context["form"]
    assert form.initial["url"] == "https://bacson.example.gov.vn/"
    response = client.post(
        "/webwatch/monitors/new/",
        {
            **form.initial,
            "interval_minutes": 5,
            "expected_status": 200,
            "max_response_ms": 5000,
            "tls_warn_days": 21,
            "domain_warn_days": 30,
            "crawl_depth": 1,
            "crawl_max_pages": 10,
            "enabled": "on",
        },
    )
    assert response.status_code == 302
    monitor = Monitor.objects.get()
    assert (monitor.unit, monitor.domain, monitor.url) == (unit_a, domain, form.initial["url"])
    assert monitor.public is False


def test_watch_all_my_domains_creates_one_monitor_per_unwatched_domain(
    client_as, officer_a, unit_a, unit_b
):
    factories.make_domain(unit_a, "bacson.example.gov.vn")
    factories.make_domain(
        unit_a, "dichvucong.bacson.example.gov.vn", url="https://dvc.bacson.example.gov.vn/"
    )
    factories.make_domain(unit_b, "namson.example.gov.vn")
    client = client_as(officer_a)
    page = client.get("/webwatch/monitors/watch-domains/").content.decode()
    assert "namson" not in page
    client.post("/webwatch/monitors/watch-domains/", {"unit": unit_a.pk})
    assert sorted(Monitor.objects.values_list("url", flat=True)) == [
        "https://bacson.example.gov.vn/",
        "https://dvc.bacson.example.gov.vn/",
    ]
    client.post("/webwatch/monitors/watch-domains/", {"unit": unit_a.pk})
    assert Monitor.objects.count() == 2  # a second press adds nothing
    assert client.post("/webwatch/monitors/watch-domains/", {"unit": unit_b.pk}).status_code == 200
    assert Monitor.objects.count() == 2


def test_the_public_page_shows_only_public_monitors(client, unit_a):
    make_monitor(unit_a, name="Cổng công khai", public=True, url="https://a.example.gov.vn/")
    make_monitor(unit_a, name="Hệ thống nội bộ", url="https://noibo.example.gov.vn/")
    page = client.get(f"/webwatch/status/{unit_a.code}/").content.decode()
    assert "Cổng công khai" in page
    assert "Hệ thống nội bộ" not in page and "noibo" not in page


def test_a_unit_without_public_monitors_has_no_public_page(client, unit_a, unit_b):
    make_monitor(unit_a)
    assert client.get(f"/webwatch/status/{unit_a.code}/").status_code == 404
    assert client.get("/webwatch/status/no-such-unit/").status_code == 404


def test_the_city_board_filters_by_state(client_as, city_admin, unit_a, unit_b):
    down = make_monitor(unit_a, name="Trang bị sập", is_up=False)
    make_monitor(unit_b, name="Trang đang chạy", url="https://namson.example.gov.vn/", is_up=True)
    client = client_as(city_admin)
    page = client.get("/webwatch/city/?state=down").content.decode()
    assert down.name in page and "Trang đang chạy" not in page
    page = client.get("/webwatch/city/").content.decode()
    assert down.name in page and "Trang đang chạy" in page


def test_check_now_runs_a_check_and_shows_it(client_as, officer_a, unit_a, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    monitor = make_monitor(unit_a, url="http://127.0.0.1:9/")  # the discard port: refused
    client = client_as(officer_a)
    assert client.get(f"/webwatch/monitors/{monitor.pk}/check/").status_code == 200
    client.post(f"/webwatch/monitors/{monitor.pk}/check/")
    monitor.refresh_from_db()
    assert monitor.state == "down"
    assert monitor.runs.count() == 1
