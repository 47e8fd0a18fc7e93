"""Compliance in the browser: a ward officer assesses three items of a system with evidence."""

import pytest

from citysoc.compliance.models import Assessment, ItemEvidence
from tests import factories
from tests.compliance.test_assessing import make_library
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANSWERS = [
    # (requirement, status, file name, gap owner, gap due)
    ("1.1", "met", "chinh-sach-attt.pdf", "", ""),
    ("1.2", "partly", "cau-hinh-syslog.txt", "Tổ CNTT", "31/03/2027"),
    ("2.1", "not_met", "anh-tuong-lua.png", "Anh Minh", "15/01/2027"),
]


def test_an_officer_assesses_three_items_with_evidence(
    page, login, officer_a, unit_a, tmp_path, settings, shot
):
    settings.MEDIA_ROOT = tmp_path / "media"
    library = make_library()
    system = factories.make_system(unit_a, name="Cổng thông tin phường", level=3)
    login("officer_a", PASSWORD)
    page.goto("/compliance/")
    page.click(f"a[href='/compliance/systems/{system.pk}/start/']")
    page.select_option("#id_library", library.urn)
    with page.expect_navigation():
        page.click("main form button.primary")
    assessment = Assessment.objects.get()
    assert page.url.endswith(f"/compliance/assessments/{assessment.pk}/")
    assert page.locator("[data-item]").count() == 4  # the level-3 items, no level-4 one
    for ref, status, filename, owner, due in ANSWERS:
        item = assessment.items.get(requirement__ref_id=ref)
        prefix = f"#id_i{item.pk}"
        proof = tmp_path / filename
        proof.write_bytes(f"bằng chứng {ref}".encode())
        page.select_option(f"{prefix}-status", status)
        page.fill(f"{prefix}-note", f"Đã kiểm tra mục {ref}")
        page.set_input_files(f"{prefix}-file", str(proof))
        if owner:
            page.fill(f"{prefix}-gap_owner", owner)
            page.fill(f"{prefix}-gap_due", due)
        with page.expect_navigation():
            page.click(f"form[data-answer='{ref}'] button[type=submit]")
    shot(page, "compliance-checklist")
    for ref, status, filename, owner, _due in ANSWERS:
        item = assessment.items.get(requirement__ref_id=ref)
        assert (item.status, item.gap_owner, item.assessor) == (status, owner, officer_a)
        assert page.locator(f"#item-{item.pk} a:has-text('{filename}')").count() == 1
    assert sorted(ItemEvidence.objects.values_list("filename", flat=True)) == sorted(
        a[2] for a in ANSWERS
    )
    # Met 1 + partly ½ + not met 0 over the four applicable items; Vietnamese decimal comma.
    assert "37,5%" in page.locator("[data-score]").first.inner_text()
    page.goto(f"/compliance/assessments/{assessment.pk}/gaps/")
    assert page.locator("[data-gap]").count() == 2
    shot(page, "compliance-gaps")
