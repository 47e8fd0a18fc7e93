"""A finding's title is shown in the reader's language, from the template the check wrote."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation

from citysoc.webwatch import recording
from citysoc.webwatch.checks.base import Finding as CheckFinding
from citysoc.webwatch.checks.base import SiteResult, Title
from citysoc.webwatch.models import Finding, Monitor
from citysoc.webwatch.titles import translated

pytestmark = pytest.mark.django_db

URL = "https://bacson.example.gov.vn/"
EXPIRES = Title(
    "Domain %(domain)s expires in %(days)s days (%(day)s)",
    {"domain": "bacson.example.gov.vn", "days": 9, "day": "15/12/2026"},
)


def _record(unit, title: Title) -> Finding:
    monitor = Monitor.objects.create(unit=unit, name="Cổng phường", url=URL)
    found = CheckFinding("domain_expiry", "high", str(title), {"domain": "x"}, parts=title)
    result = SiteResult(URL, True, 200, 80, findings=[found], fingerprint={"h": "a"})
    recording.record(monitor, result, now=timezone.now())
    return Finding.objects.get(monitor=monitor)


def test_a_recorded_finding_keeps_the_english_line_and_its_template(unit_a):
    finding = _record(unit_a, EXPIRES)
    assert finding.title == "Domain bacson.example.gov.vn expires in 9 days (15/12/2026)"
    assert finding.title_parts["template"] == EXPIRES.template


def test_the_finding_page_shows_the_title_in_vietnamese(client_as, officer_a, unit_a):
    finding = _record(unit_a, EXPIRES)
    client = client_as(officer_a)
    client.cookies["citysoc_language"] = "vi"
    page = client.get(f"/webwatch/monitor-findings/{finding.pk}/").content.decode()
    assert "Tên miền bacson.example.gov.vn hết hạn sau 9 ngày (15/12/2026)" in page
    assert "expires in 9 days" not in page


def test_the_work_page_shows_the_title_in_vietnamese(client_as, officer_a, unit_a):
    _record(unit_a, EXPIRES)
    client = client_as(officer_a)
    client.cookies["citysoc_language"] = "vi"
    page = client.get("/work/").content.decode()
    assert "Tên miền bacson.example.gov.vn hết hạn sau 9 ngày (15/12/2026)" in page
    assert "expires in 9 days" not in page


def test_a_finding_on_a_crawled_page_names_the_page():
    title = Title("Script sends visitors to %(host)s", {"host": "nhacai.example"}, on=URL + "a")
    assert str(title) == f"Script sends visitors to nhacai.example on {URL}a"
    parts = {"template": title.template, "params": title.params, "on": title.on}
    with translation.override("vi"):
        assert (
            translated(parts) == f"Mã script chuyển người xem tới nhacai.example, tại trang {URL}a"
        )


def test_a_template_whose_values_no_longer_fit_falls_back_to_the_english_line(unit_a):
    finding = _record(unit_a, EXPIRES)
    finding.title_parts["params"] = {"domain": "x"}  # "days" missing
    assert finding.shown_title == finding.title
