"""KEV and EPSS: read from the sample feed files (JSON, CSV, .csv.gz), loaded by the CLI on
an isolated network or pulled from a real HTTP server, and applied to open findings."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler

import pytest
from django.utils import timezone

from citysoc import cli
from citysoc.alerts.models import Alert
from citysoc.vulns import epss, feeds, kev
from citysoc.vulns.models import EpssScore, KnownExploited, PriorityFeed
from tests import factories
from tests.support.http_server import serving
from tests.vulns.support import FEEDS, make_finding

pytestmark = pytest.mark.django_db


def test_the_kev_json_and_csv_give_the_same_entries():
    from_json = kev.parse((FEEDS / "kev.json").read_bytes())
    from_csv = kev.parse((FEEDS / "kev.csv").read_bytes())
    assert from_json.version == "2025.08.25"
    assert from_json.entries == from_csv.entries
    log4j = next(e for e in from_json.entries if e.cve == "CVE-2021-44228")
    assert log4j.ransomware and str(log4j.due_date) == "2021-12-24"
    assert log4j.vendor == "Apache"


def test_a_trimmed_catalogue_keeps_the_entries_it_has():
    # vunnel's test file: the header says 1273, three entries are present.
    catalogue = kev.parse((FEEDS / "kev_vunnel.json").read_bytes())
    assert len(catalogue.entries) == 3 and not catalogue.rejected


def test_bad_kev_rows_are_rejected_with_their_place_and_the_rest_kept():
    data = (FEEDS / "kev.csv").read_text().replace("CVE-2019-0708", "CVE-XXXX", 1)
    data = data.replace("2023-10-18", "18/10/2023", 1)
    catalogue = kev.parse(data.encode())
    assert len(catalogue.entries) == 2
    assert any(r.startswith("line ") and "CVE-XXXX" in r for r in catalogue.rejected)
    assert any("dateAdded '18/10/2023' is not a date" in r for r in catalogue.rejected)


@pytest.mark.parametrize(
    "data,message",
    [
        (b'{"title": "x"}', "no 'vulnerabilities' list"),
        (b'{"vulnerabilities": [', "unreadable at line 1"),
        (b"a,b\n1,2\n", "no 'cveID' column"),
    ],
)
def test_a_file_that_is_not_a_kev_catalogue_is_refused(data, message):
    with pytest.raises(kev.FeedError, match=message):
        kev.parse(data)


@pytest.mark.parametrize("name", ["epss.csv", "epss.csv.gz"])
def test_epss_csv_plain_and_gzip(name):
    scores = epss.parse((FEEDS / name).read_bytes())
    assert str(scores.scored_on) == "2025-02-20"
    assert scores.version == "v2023.03.01"
    by_cve = {s.cve: s for s in scores.scores}
    assert len(by_cve) == 8
    assert by_cve["CVE-1999-0005"].score == 0.91963
    assert by_cve["CVE-1999-0005"].percentile == 0.99214


def test_bad_epss_rows_are_rejected_with_their_line():
    text = (FEEDS / "epss.csv").read_text().replace("0.00383", "1.7").replace("CVE-1999-0002", "x")
    scores = epss.parse(text.encode())
    assert len(scores.scores) == 6
    assert scores.rejected == (
        "line 3: epss and percentile must be between 0 and 1",
        "line 4: cve 'X' is not a CVE identifier",
    )


def test_a_damaged_gzip_is_refused():
    data = (FEEDS / "epss.csv.gz").read_bytes()[:60]
    with pytest.raises(kev.FeedError, match="damaged or cut short"):
        epss.parse(data)


def test_loading_marks_open_findings_and_sets_their_due_date(unit_a):
    system = factories.make_system(unit_a, level=3)
    log4j = make_finding(unit_a, system=system, cves=["CVE-2021-44228"], severity="critical")
    other = make_finding(unit_a, cves=["CVE-1999-0001"], severity="medium")
    assert not log4j.kev and log4j.due_rule == "critical-level3"
    kev.load((FEEDS / "kev.json").read_bytes())
    epss.load((FEEDS / "epss.csv.gz").read_bytes())
    log4j.refresh_from_db()
    other.refresh_from_db()
    assert log4j.kev and log4j.kev_ransomware and str(log4j.kev_due) == "2021-12-24"
    assert log4j.due_rule == "kev-level3" and log4j.epss == 0.94358
    assert (log4j.due_date - timezone.localtime(log4j.first_seen).date()).days == 7
    assert not other.kev and other.epss == 0.00383 and other.epss_percentile == 0.73075
    assert KnownExploited.objects.count() == 4 and EpssScore.objects.count() == 8


def test_a_finding_that_becomes_kev_on_a_level_3_system_raises_an_alert(city, unit_a):
    system = factories.make_system(unit_a, level=3, name="Cổng dịch vụ công")
    make_finding(unit_a, system=system, cves=["CVE-2024-3400"], severity="critical")
    low_level = factories.make_system(unit_a, level=2)
    make_finding(unit_a, system=low_level, cves=["CVE-2021-44228"])
    kev.load((FEEDS / "kev.json").read_bytes())
    (alert,) = Alert.objects.filter(source__unit=unit_a)
    assert "CVE-2024-3400" in alert.summary and "Cổng dịch vụ công" in alert.summary
    kev.load((FEEDS / "kev.json").read_bytes())  # a reload is no news
    assert Alert.objects.filter(source__unit=unit_a).count() == 1


def _cli(capsys, *args):
    code = cli.main(["vulns", *map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_cli_loads_files_on_an_isolated_network(capsys, unit_a):
    code, out, _ = _cli(capsys, "load-kev", FEEDS / "kev.csv", "--json")
    assert code == 0
    assert json.loads(out) == {
        "kind": "kev",
        "version": "",
        "kept": 4,
        "rejected": 0,
        "findings_checked": 0,
    }
    code, out, _ = _cli(capsys, "load-epss", FEEDS / "epss.csv.gz")
    assert code == 0 and out.startswith("epss: 8 CVEs loaded (version 2025-02-20)")
    feed = PriorityFeed.objects.get(kind="epss")
    assert feed.records == 8 and feed.last_version == "2025-02-20"


def test_the_cli_says_what_is_wrong_and_keeps_the_current_copy(capsys, tmp_path, db):
    kev.load((FEEDS / "kev.json").read_bytes())
    bad = tmp_path / "kev.json"
    bad.write_text('{"vulnerabilities": []}')
    code, _, err = _cli(capsys, "load-kev", bad)
    assert code == 2 and "lists no vulnerability; the current copy is kept" in err
    assert KnownExploited.objects.count() == 4
    code, _, err = _cli(capsys, "load-epss", tmp_path / "missing.csv")
    assert code == 2 and "file not found" in err


BODY = {
    "/kev.json": (FEEDS / "kev.json").read_bytes(),
    "/epss.csv.gz": (FEEDS / "epss.csv.gz").read_bytes(),
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        body = BODY.get(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server():
    with serving(Handler) as url:
        yield url


@pytest.mark.usefixtures("loopback_allowed")
def test_the_scheduled_pull_loads_both_feeds_and_flags_a_failure(server, city):
    feeds.ensure_feeds()
    PriorityFeed.objects.filter(kind="kev").update(url=f"{server}/kev.json")
    PriorityFeed.objects.filter(kind="epss").update(url=f"{server}/missing.csv.gz")
    report = feeds.pull_due()
    assert report["loaded"]["kev"]["kept"] == 4
    assert "epss" in report["failed"]
    assert KnownExploited.objects.count() == 4
    failed = PriorityFeed.objects.get(kind="epss")
    assert failed.last_error
    (alert,) = Alert.objects.filter(dedup_key="vulns:feed:epss")
    assert alert.status != "resolved"
    PriorityFeed.objects.filter(kind="epss").update(url=f"{server}/epss.csv.gz")
    PriorityFeed.objects.update(last_checked_at=None)
    report = feeds.pull_due()
    assert report["loaded"]["epss"]["kept"] == 8 and not report["failed"]
    alert.refresh_from_db()
    assert alert.status == "resolved"


def test_a_deployed_server_refuses_a_loopback_feed_url(db, city):
    feeds.ensure_feeds()
    PriorityFeed.objects.filter(kind="kev").update(url="http://127.0.0.1:9/kev.json")
    PriorityFeed.objects.filter(kind="epss").update(active=False)
    report = feeds.pull_due()
    assert "kev" in report["failed"] and KnownExploited.objects.count() == 0


@pytest.mark.usefixtures("english")
def test_only_the_city_changes_a_feed_address(client, city_admin, officer_a):
    client.force_login(officer_a)
    assert client.get("/vulns/feeds/").status_code == 200
    refused = client.post("/vulns/feeds/", {"kind": "kev", "kev-url": "", "kev-every_hours": 6})
    assert refused.status_code == 403
    client.force_login(city_admin)
    bad = client.post(
        "/vulns/feeds/",
        {"kind": "kev", "kev-url": "http://127.0.0.1/kev.json", "kev-every_hours": 6},
    )
    assert bad.status_code == 400 and "cannot be reached from the server" in bad.content.decode()
    ok = client.post("/vulns/feeds/", {"kind": "kev", "kev-url": "", "kev-every_hours": 6})
    assert ok.status_code == 302
    assert PriorityFeed.objects.get(kind="kev").url == ""
    PriorityFeed.objects.filter(kind="epss").update(active=False)  # no Internet in tests
    assert feeds.pull_due()["pulled"] == []  # no address: files only
