"""The findings page: the user's units only, worst first, open by default, in the sidebar."""

from __future__ import annotations

import pytest

from citysoc.vulns.importing import import_report
from citysoc.vulns.parsers import nmap
from tests.vulns.support import FIXTURES

pytestmark = pytest.mark.django_db

VULNERS = (FIXTURES / "nmap" / "vulners.xml").read_bytes()
PATCHED = VULNERS.replace(b'<script id="vulners"', b'<script id="other"')


def test_lists_own_findings_worst_first_and_hides_mitigated(client, officer_a, unit_a, unit_b):
    import_report(nmap.parse(VULNERS), unit_a)
    import_report(nmap.parse(PATCHED), unit_a)  # the two CVEs mitigated
    import_report(nmap.parse(VULNERS), unit_b)
    client.force_login(officer_a)
    page = client.get("/vulns/")
    rows = [f.title for f in page.context["page"]]
    assert rows == ["Open port 22/tcp ssh OpenSSH 7.4"]
    everything = [f.title for f in client.get("/vulns/?status=all").context["page"]]
    assert everything == ["CVE-2023-38408", "CVE-2021-41617", "Open port 22/tcp ssh OpenSSH 7.4"]
    assert {f.unit_id for f in client.get("/vulns/?status=all").context["page"]} == {unit_a.pk}
    assert "Lỗ hổng" in page.content.decode()
    nav = {i["label"]: i for i in page.context["nav_items"]}
    item = next(i for label, i in nav.items() if str(label) in ("Lỗ hổng", "Vulnerabilities"))
    assert item["url"] == "/vulns/" and item["active"]
