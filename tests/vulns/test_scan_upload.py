"""Importing a scanner report from the vulnerabilities page, for a unit the user edits."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from citysoc.vulns.models import Finding, Scan
from tests.vulns.support import FIXTURES

pytestmark = pytest.mark.django_db

VULNERS = (FIXTURES / "nmap" / "vulners.xml").read_bytes()
URL = reverse("vulns:scan-upload")


def _post(client, unit, data: bytes = VULNERS, tool: str = ""):
    file = SimpleUploadedFile("scan.xml", data, content_type="application/xml")
    return client.post(URL, {"unit": unit.pk, "file": file, "tool": tool}, follow=True)


def test_an_officer_imports_a_report_and_reads_what_it_found(client_as, officer_a, unit_a):
    client = client_as(officer_a)
    client.cookies["citysoc_language"] = "vi"
    home = client.get(reverse("vulns:home")).content.decode()
    assert URL in home and "Nhập báo cáo quét lỗ hổng" in home
    response = _post(client, unit_a)
    assert response.redirect_chain == [(reverse("vulns:unit-detail", args=[unit_a.pk]), 302)]
    page = response.content.decode()
    assert "Đã nhập cho Phường Bắc Sơn: 3 lỗ hổng (3 mới" in page
    assert "192.0.2.10" in page  # the address that is not a host of the unit yet
    assert Finding.objects.filter(unit=unit_a).count() == 3


def test_only_the_units_the_user_edits_are_offered(client_as, officer_a, viewer_a, unit_a, unit_b):
    client = client_as(officer_a)
    assert list(client.get(URL).context["form"].fields["unit"].queryset) == [unit_a]
    assert "unit" in _post(client, unit_b).context["form"].errors
    viewer = client_as(viewer_a)
    assert (
        'data-testid="scan-upload-link"' not in viewer.get(reverse("vulns:home")).content.decode()
    )
    assert "unit" in _post(viewer, unit_a).context["form"].errors
    assert Scan.objects.count() == 0


def test_an_unreadable_report_is_refused_on_the_form(client_as, officer_a, unit_a):
    client = client_as(officer_a)
    client.cookies["citysoc_language"] = "vi"
    response = _post(client, unit_a, b"<html>not a scan</html>")
    page = response.content.decode()
    assert "Không nhận ra công cụ đã tạo tệp này" in page and "--tool" not in page
    response = _post(client, unit_a, VULNERS[:400], tool="nmap")  # cut short: names the line
    page = response.content.decode()
    assert "Không đọc được tệp dưới dạng báo cáo quét lỗ hổng" in page and "line" in page
    assert (Scan.objects.count(), Finding.objects.count()) == (0, 0)
