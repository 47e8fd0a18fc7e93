"""Import: hosts matched, dedupe across scans, mitigated when gone, reopened when back."""

from __future__ import annotations

import pytest

from citysoc.vulns.importing import import_report
from citysoc.vulns.models import Finding, Scan
from citysoc.vulns.parsers import nmap
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
