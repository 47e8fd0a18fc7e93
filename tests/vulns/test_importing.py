"""Import: hosts matched, dedupe across scans in batches, mitigated when gone, reopened when
back (also for images and lock files), details stored, unknown hosts offered."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from citysoc.vulns.importing import import_report, new_host_url, unknown_hosts_of
from citysoc.vulns.models import Finding, Scan
from citysoc.vulns.parsers import nmap, read_report
from citysoc.vulns.parsers.base import FindingRecord, ParsedReport
from tests import factories
from tests.vulns.support import FIXTURES

pytestmark = pytest.mark.django_db

VULNERS = (FIXTURES / "nmap" / "vulners.xml").read_bytes()
# The same host after OpenSSH was upgraded: the port stays open, the CVEs are gone.
PATCHED = VULNERS.replace(b'<script id="vulners"', b'<script id="other"')


@pytest.fixture
def unit():
    return factories.make_unit("P1")


def test_first_import_attaches_to_the_host_and_its_system(unit):
    system = factories.make_system(unit, level=3)
    host = factories.make_host(unit, hostname="web", ipv4="192.0.2.10")
    host.systems.add(system)
    result = import_report(nmap.parse(VULNERS), unit, file_name="vulners.xml")
    assert (result.findings, result.new, result.still_open, result.mitigated) == (3, 3, 0, 0)
    assert result.unknown_hosts == []
    assert set(Finding.objects.values_list("host", "system")) == {(host.pk, system.pk)}
    assert Scan.objects.get().new == 3


def test_unknown_hosts_listed_and_findings_kept(unit):
    result = import_report(nmap.parse(VULNERS), unit)
    assert result.unknown_hosts == ["192.0.2.10"]
    assert Finding.objects.filter(host=None).count() == 3


def test_reimport_same_report_is_the_same_rows(unit):
    import_report(nmap.parse(VULNERS), unit)
    first = dict(Finding.objects.values_list("dedupe_key", "last_seen"))
    again = import_report(nmap.parse(VULNERS), unit)
    assert (again.new, again.still_open, again.mitigated) == (0, 3, 0)
    assert Finding.objects.count() == 3
    assert all(Finding.objects.get(dedupe_key=k).last_seen > v for k, v in first.items())


def test_missing_from_rescan_is_mitigated_and_back_is_reopened(unit):
    import_report(nmap.parse(VULNERS), unit)
    fixed = import_report(nmap.parse(PATCHED), unit)
    assert (fixed.still_open, fixed.mitigated) == (1, 2)
    assert set(Finding.objects.filter(status="mitigated").values_list("title", flat=True)) == {
        "CVE-2023-38408",
        "CVE-2021-41617",
    }
    back = import_report(nmap.parse(VULNERS), unit)
    assert (back.reopened, back.still_open, back.new, back.mitigated) == (2, 1, 0, 0)
    assert Finding.objects.filter(status="reopened").count() == 2


def test_a_scan_of_other_hosts_closes_nothing(unit):
    import_report(nmap.parse(VULNERS), unit)
    other = (FIXTURES / "nmap" / "nmap_1port.xml").read_bytes()
    result = import_report(nmap.parse(other), unit)
    assert result.mitigated == 0
    assert Finding.objects.filter(status="open").count() == 4


def test_other_units_findings_untouched(unit):
    other = factories.make_unit("P2")
    import_report(nmap.parse(VULNERS), other)
    import_report(nmap.parse(VULNERS), unit)
    result = import_report(nmap.parse(PATCHED), unit)
    assert result.mitigated == 2
    assert Finding.objects.filter(unit=other, status="open").count() == 3


def test_error_inside_the_import_saves_nothing(unit, monkeypatch):
    from citysoc.vulns import importing

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importing, "_mitigate_missing", boom)
    with pytest.raises(RuntimeError):
        import_report(nmap.parse(VULNERS), unit)
    assert (Scan.objects.count(), Finding.objects.count()) == (0, 0)


# --- details, batches, artifact scope, unknown hosts -------------------------------------


def test_details_are_stored_and_refreshed_on_reimport(unit):
    report = read_report((FIXTURES / "nessus" / "two_hosts.nessus").read_bytes())
    import_report(report, unit)
    web = Finding.objects.get(port=443)
    assert (web.kind, web.cvss_vector[:8], web.cves) == (
        "vulnerability",
        "CVSS:3.0",
        ["CVE-2021-41773"],
    )
    assert "2.4.51" in web.solution and web.references and "Server header" in web.description
    assert Finding.objects.get(title="Nessus Scan Information").kind == "info"
    reworded = read_report(
        (FIXTURES / "nessus" / "two_hosts.nessus").read_bytes().replace(b"2.4.51", b"2.4.62")
    )
    again = import_report(reworded, unit)
    assert (again.new, again.still_open) == (0, 3)
    assert "2.4.62" in Finding.objects.get(port=443).solution


def _records(size: int, address: str = "192.0.2.50") -> ParsedReport:
    findings = tuple(
        FindingRecord(
            title=f"Plugin {i}",
            severity="medium",
            address=address,
            port=443,
            protocol="tcp",
            rule=f"plugin/{i}",
            description="x" * 50,
        )
        for i in range(size)
    )
    return ParsedReport("nessus", findings, hosts=(address,))


def _sqlite_split(size: int) -> int:
    """PostgreSQL writes a batch of 1,000 findings in one query; Django splits an SQLite
    insert or bulk update at 999 parameters (a few dozen findings): still per batch of
    rows, never one query per finding."""
    return size // 15 if connection.vendor == "sqlite" else 0


@pytest.mark.parametrize("size", [40, 1000])
def test_reimport_query_count_does_not_grow_with_the_findings(
    unit, size, django_assert_max_num_queries
):
    factories.make_host(unit, hostname="big", ipv4="192.0.2.50")
    import_report(_records(size), unit)
    with django_assert_max_num_queries(20 + _sqlite_split(size)):
        result = import_report(_records(size), unit)
    assert (result.still_open, result.new) == (size, 0)


@pytest.mark.parametrize("size", [40, 1000])
def test_first_import_makes_no_query_per_finding(unit, size, django_assert_max_num_queries):
    factories.make_host(unit, hostname="big", ipv4="192.0.2.50").systems.add(
        factories.make_system(unit)
    )
    with django_assert_max_num_queries(20 + _sqlite_split(size)):
        result = import_report(_records(size), unit)
    assert result.new == size
    assert Finding.objects.filter(system__isnull=False).count() == size


TRIVY = (FIXTURES / "trivy" / "scheme_2_many_vulns.json").read_bytes()


def test_image_rescan_closes_what_it_no_longer_reports_and_only_in_that_image(unit):
    first = import_report(read_report(TRIVY), unit)
    other = TRIVY.replace(b'"ArtifactName": "', b'"ArtifactName": "other-')
    import_report(read_report(other), unit)
    assert first.new == 5 and Finding.objects.count() == 10
    doc = json.loads(TRIVY)
    doc["Results"][0]["Vulnerabilities"] = doc["Results"][0]["Vulnerabilities"][1:]
    fixed = import_report(read_report(json.dumps(doc).encode()), unit)
    remaining = sum(len(r.get("Vulnerabilities") or []) for r in doc["Results"])
    assert (fixed.mitigated, fixed.still_open) == (1, remaining)
    assert Finding.objects.filter(status="mitigated").count() == 1
    assert not Finding.objects.filter(status="mitigated", location__startswith="other-").exists()
    back = import_report(read_report(TRIVY), unit)
    assert back.reopened == 1


def test_partial_scan_closes_nothing(unit):
    import_report(nmap.parse(VULNERS), unit)
    result = import_report(nmap.parse(PATCHED), unit, full_scan=False)
    assert result.mitigated == 0


def test_host_added_later_is_attached_on_the_next_import(unit):
    import_report(nmap.parse(VULNERS), unit)
    host = factories.make_host(unit, hostname="web", ipv4="192.0.2.10")
    result = import_report(nmap.parse(VULNERS), unit)
    assert result.unknown_hosts == []
    assert set(Finding.objects.values_list("host", flat=True)) == {host.pk}


def test_unknown_hosts_of_a_scan_and_the_prefilled_host_form(unit, client):
    result = import_report(nmap.parse(VULNERS), unit)
    scan = Scan.objects.get(pk=result.scan_id)
    assert unknown_hosts_of(scan) == ["192.0.2.10"]
    url = new_host_url(unit.pk, "192.0.2.10")
    assert "ipv4=192.0.2.10" in url and f"unit={unit.pk}" in url
    assert "hostname=web.example" in new_host_url(unit.pk, "web.example")
    from citysoc.core.models import Person

    client.force_login(factories.make_user("adm", unit=unit, role=Person.Role.UNIT_ADMIN))
    page = client.get(url)
    assert page.status_code == 200 and 'value="192.0.2.10"' in page.content.decode()


def test_fixed_by_a_person_is_verified_by_the_next_scan_or_reopened(unit):
    import_report(nmap.parse(VULNERS), unit)
    Finding.objects.filter(title="CVE-2023-38408").update(status="fixed")
    Finding.objects.filter(title="CVE-2021-41617").update(status="fixed")
    # one fix held (gone from the scan), the other did not (still reported)
    only_one = VULNERS.replace(b"CVE-2023-38408", b"CVE-2021-41617")
    result = import_report(nmap.parse(only_one), unit)
    assert result.reopened == 1
    assert Finding.objects.get(title="CVE-2023-38408").status == "mitigated"
    assert Finding.objects.get(title="CVE-2021-41617").status == "reopened"


def test_scanner_fqdn_matches_the_inventorys_short_name(unit):
    host = factories.make_host(unit, hostname="portal")
    report = read_report((FIXTURES / "nessus" / "two_hosts.nessus").read_bytes())
    result = import_report(report, unit)
    assert result.unknown_hosts == ["192.0.2.22"]  # portal.ward.example is 192.0.2.21
    assert Finding.objects.filter(host=host).count() == 2


def test_nul_bytes_from_raw_responses_are_dropped_not_fatal(unit):
    record = FindingRecord(
        title="Reflected\x00 XSS", severity="high", address="192.0.2.9", description="a\x00b"
    )
    import_report(ParsedReport("zap", (record,), hosts=("192.0.2.9",)), unit)
    assert Finding.objects.values_list("title", "description").get() == ("Reflected XSS", "ab")
