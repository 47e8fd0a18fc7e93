"""/api/scans/ upload and /api/findings/ filters, scoped to the user's units."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from citysoc.vulns.importing import import_report
from citysoc.vulns.models import Finding, Scan
from citysoc.vulns.parsers import nmap
from tests.vulns.support import FIXTURES

pytestmark = pytest.mark.django_db

VULNERS = (FIXTURES / "nmap" / "vulners.xml").read_bytes()


def _upload(client, unit_code: str, data: bytes = VULNERS):
    file = SimpleUploadedFile("scan.xml", data, content_type="application/xml")
    return client.post("/api/scans/", {"file": file, "unit": unit_code})


def test_editor_uploads_a_report_for_their_unit(client, officer_a, unit_a):
    client.force_login(officer_a)
    response = _upload(client, "ward-a")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["unit"], body["tool"], body["findings"], body["new"]) == ("ward-a", "nmap", 3, 3)
    assert body["unknown_hosts"] == ["192.0.2.10"]
    assert Finding.objects.filter(unit=unit_a).count() == 3


def test_upload_for_another_or_unseen_unit_refused(client, officer_a, viewer_a, unit_b):
    client.force_login(officer_a)
    assert _upload(client, "ward-b").status_code == 400  # not visible: as if it did not exist
    client.force_login(viewer_a)
    assert _upload(client, "ward-a").status_code == 403  # visible, not editable
    assert Scan.objects.count() == 0


def test_unreadable_upload_is_400_naming_the_line_and_saves_nothing(client, officer_a):
    client.force_login(officer_a)
    response = _upload(client, "ward-a", VULNERS[:400])
    assert response.status_code == 400
    assert "line" in response.json()["file"][0]
    assert (Scan.objects.count(), Finding.objects.count()) == (0, 0)


def test_findings_scoped_and_filtered(client, officer_a, unit_a, unit_b):
    import_report(nmap.parse(VULNERS), unit_a)
    import_report(nmap.parse(VULNERS), unit_b)
    client.force_login(officer_a)
    rows = client.get("/api/findings/").json()["results"]
    assert {r["unit"] for r in rows} == {"ward-a"} and len(rows) == 3
    crit = client.get("/api/findings/?severity=critical").json()["results"]
    assert [r["title"] for r in crit] == ["CVE-2023-38408"]
    by_cve = client.get("/api/findings/?cve=cve-2021-41617").json()["results"]
    assert [r["title"] for r in by_cve] == ["CVE-2021-41617"]
    assert client.get("/api/findings/?status=mitigated").json()["results"] == []
    assert client.get("/api/findings/?unit=ward-b").json()["results"] == []
    other = Finding.objects.filter(unit=unit_b).first()
    assert client.get(f"/api/findings/{other.pk}/").status_code == 404
    assert [s["unit"] for s in client.get("/api/scans/").json()["results"]] == ["ward-a"]
