"""A website's state is the worst of its availability and its open findings (issue 14)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from citysoc.webwatch import health, recording
from citysoc.webwatch.checks.base import Finding as CheckFinding
from citysoc.webwatch.checks.base import SiteResult
from citysoc.webwatch.models import Finding, Monitor

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _site(unit, name: str, *findings: CheckFinding, up: bool = True) -> Monitor:
    url = f"https://{name}.example.gov.vn/"
    monitor = Monitor.objects.create(unit=unit, name=name, url=url)
    result = SiteResult(url, up, 200 if up else 503, 90, findings=list(findings))
    recording.record(monitor, result, now=timezone.now())
    return monitor


DEFACED = CheckFinding("defacement", "high", "Page changed 90% from its baseline", {})
GAMBLING = CheckFinding(
    "injected_links", "critical", "Hidden links to gambling sites", {}, key="hidden"
)
TLS = CheckFinding("tls", "medium", "TLS certificate expires in 12 days", {})


@pytest.fixture
def sites(unit_a):
    return {
        "defaced": _site(unit_a, "defaced", DEFACED),
        "gambling": _site(unit_a, "gambling", GAMBLING),
        "tls": _site(unit_a, "tls", TLS),
        "healthy": _site(unit_a, "healthy"),
        "down": _site(unit_a, "down", up=False),
    }


def test_hacked_sites_are_red_expiring_tls_orange_and_only_the_clean_site_green(sites):
    annotated = {m.name: health.state_of(m) for m in health.with_health(Monitor.objects.all())}
    assert {name: (s.code, s.colour) for name, s in annotated.items()} == {
        "defaced": ("compromised", "red"),
        "gambling": ("compromised", "red"),
        "tls": ("attention", "orange"),
        "healthy": ("up", "green"),
        "down": ("down", "red"),
    }
    # Unannotated monitors get the same answer from the same rule.
    assert health.state_of(Monitor.objects.get(name="defaced")).code == "compromised"


def test_an_accepted_finding_no_longer_colours_the_site(sites):
    Finding.objects.filter(monitor=sites["defaced"]).update(status=Finding.Status.ACCEPTED)
    assert health.state_of(Monitor.objects.get(name="defaced")).code == "up"


def test_the_board_leads_with_state_and_findings_worst_first(client_as, officer_a, sites):
    page = client_as(officer_a).get("/webwatch/").content.decode()
    rows = page.split("<tbody>")[1].split("</tr>")
    order = [name for row in rows for name in sites if f">{name}</a>" in row]
    assert order[:3] == ["defaced", "gambling", "down"] or order[:3] == [
        "gambling",
        "defaced",
        "down",
    ]
    assert order[-1] == "healthy"
    defaced_row = next(r for r in rows if ">defaced</a>" in r)
    assert 'data-state="compromised"' in defaced_row
    assert "Page changed 90% from its baseline" in defaced_row
    # State, then the findings, before the uptime figures that used to hide them.
    assert (
        defaced_row.index('data-state="compromised"')
        < defaced_row.index("findings-cell")
        < defaced_row.index(" %")
    )


def test_the_city_board_filters_red_sites(client_as, city_admin, sites):
    page = client_as(city_admin).get("/webwatch/city/?state=red").content.decode()
    for name in ("defaced", "gambling", "down"):
        assert f">{name}</a>" in page
    for name in ("tls", "healthy"):
        assert f">{name}</a>" not in page
    assert 'data-testid="red-count">3<' in page


def test_the_dashboard_counts_sites_the_same_way(client_as, officer_a, city_admin, sites):
    for user in (officer_a, city_admin):
        page = client_as(user).get("/").content.decode()
        box = page.split('data-testid="sites-box"')[1].split("</p>")[0]
        assert "2 compromised" in box
        assert "1 down" in box
        assert "1 needs attention" in box
        assert "1 up" in box
