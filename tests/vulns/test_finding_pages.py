"""The finding page with its work actions, the unit and system pages, the city board,
the unit's XLSX and DOCX, and the directive's vulnerabilities item."""

from __future__ import annotations

import io

import docx
import openpyxl
import pytest

from citysoc.core.models import Person
from citysoc.directives.area_progress import progress_for
from citysoc.directives.models import ActionItem
from citysoc.vulns.models import Finding, KnownExploited
from tests import factories
from tests.vulns.support import make_finding

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def kev_finding(unit_a):
    KnownExploited.objects.create(
        cve="CVE-2024-3400", name="PAN-OS Command Injection", ransomware=True
    )
    system = factories.make_system(unit_a, level=3, name="Cổng dịch vụ công")
    return make_finding(
        unit_a,
        system=system,
        title='=HYPERLINK("http://evil.example/")',
        severity="critical",
        cves=["CVE-2024-3400"],
        days_ago=10,
    )


def test_the_finding_page_shows_the_deadline_and_its_reason(client, officer_a, kev_finding):
    client.force_login(officer_a)
    page = client.get(f"/vulns/findings/{kev_finding.pk}/").content.decode()
    assert "Known exploited (CISA KEV) on a system of security level 3 or higher" in page
    assert "Overdue" in page  # first seen 10 days ago, 7 days allowed
    assert "used in ransomware campaigns" in page


def test_the_finding_page_speaks_vietnamese_by_default(client, officer_a, kev_finding, settings):
    settings.LANGUAGE_CODE = "vi"
    client.force_login(officer_a)
    page = client.get(f"/vulns/findings/{kev_finding.pk}/", HTTP_ACCEPT_LANGUAGE="vi")
    assert "khắc phục trong 7 ngày" in page.content.decode()


def test_work_actions_from_the_page(client, officer_a, kev_finding):
    client.force_login(officer_a)
    url = f"/vulns/findings/{kev_finding.pk}/"
    person = Person.objects.create(unit=kev_finding.unit, full_name="Lê Thị Hoa")
    client.post(url, {"action": "assign", "assign-assignee": person.pk})
    client.post(url, {"action": "comment", "comment-text": "Patch window Saturday"})
    response = client.post(url, {"action": "fixed", "fixed-note": "PAN-OS 11.1.2-h3"})
    assert response.status_code == 302
    finding = Finding.objects.get(pk=kev_finding.pk)
    assert finding.status == "fixed" and finding.assignee == person
    page = client.get(url).content.decode()
    assert "Patch window Saturday" in page and "Fixed, awaiting verification" in page


def test_a_bad_action_shows_the_form_with_its_error(client, officer_a, kev_finding):
    client.force_login(officer_a)
    response = client.post(
        f"/vulns/findings/{kev_finding.pk}/",
        {"action": "accept", "accept-reason": "VPN", "accept-until": "01/01/2020"},
    )
    assert response.status_code == 400
    assert "The end date must be after today." in response.content.decode()
    assert Finding.objects.get(pk=kev_finding.pk).status == "open"


def test_a_viewer_sees_the_finding_but_cannot_work_on_it(client, viewer_a, kev_finding):
    client.force_login(viewer_a)
    url = f"/vulns/findings/{kev_finding.pk}/"
    assert 'data-testid="work"' not in client.get(url).content.decode()
    assert client.post(url, {"action": "fixed"}).status_code == 403


def test_another_wards_officer_gets_not_found(client, officer_b, kev_finding):
    client.force_login(officer_b)
    url = f"/vulns/findings/{kev_finding.pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "fixed"}).status_code == 404


def test_unit_page_counts_and_board_ranks_units_by_overdue_kev(
    client, city_admin, kev_finding, unit_a, unit_b
):
    for _ in range(3):
        make_finding(unit_b, severity="critical", days_ago=1)
    client.force_login(city_admin)
    unit_page = client.get(f"/vulns/units/{unit_a.pk}/")
    summary = unit_page.context["summary"]
    assert (summary.active, summary.kev, summary.overdue_kev, summary.critical) == (1, 1, 1, 1)
    board = client.get("/vulns/board/")
    assert [r.code for r in board.context["rows"]] == [unit_a.code, unit_b.code]
    assert board.context["rows"][1].summary.critical == 3


def test_system_page_lists_its_findings(client, officer_a, kev_finding):
    client.force_login(officer_a)
    page = client.get(f"/vulns/systems/{kev_finding.system_id}/")
    assert list(page.context["findings"]) == [kev_finding]


def test_the_xlsx_export_keeps_scanner_text_from_running_as_a_formula(
    client, officer_a, kev_finding, unit_a
):
    client.force_login(officer_a)
    response = client.get(f"/vulns/units/{unit_a.pk}/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert row["Lỗ hổng"].startswith("'=HYPERLINK")
    assert row["KEV"] == "x" and row["Quá hạn"] == "x"
    assert row["Cấp độ"] == 3


def test_the_docx_report_is_in_the_decree_30_layout(client, officer_a, kev_finding, unit_a):
    client.force_login(officer_a)
    response = client.get(f"/vulns/units/{unit_a.pk}/report.docx")
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in "\n".join(cells)
    assert "Tình hình rà soát, khắc phục lỗ hổng bảo mật" in text
    assert "1 lỗ hổng thuộc danh mục lỗ hổng đang bị khai thác (CISA KEV)" in text
    assert any("[KEV]" in c for c in cells)


def test_the_directives_vulnerabilities_item_shows_the_units_figures(unit_a, kev_finding):
    progress = progress_for(ActionItem(area=ActionItem.Area.VULNS), unit_a)
    assert progress.tracked
    assert progress.summary.startswith("1 open vulnerability findings (1 critical), 1 known")
    assert progress.url == f"/vulns/units/{unit_a.pk}/"


def test_home_filters_known_exploited_and_overdue(client, officer_a, kev_finding, unit_a):
    make_finding(unit_a, severity="low")
    client.force_login(officer_a)
    assert len(client.get("/vulns/").context["page"]) == 2
    assert list(client.get("/vulns/?kev=1").context["page"]) == [kev_finding]
    assert list(client.get("/vulns/?overdue=1").context["page"]) == [kev_finding]
