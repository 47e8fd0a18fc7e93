"""Information systems in the browser: adding one, and a ward kept out of another's."""

import pytest
from playwright.sync_api import expect

from citysoc.core.models import AuditEntry
from citysoc.inventory.models import InformationSystem
from tests import factories
from tests.browser.actions import switch_language
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_adds_a_system_for_a_school_of_the_ward(
    page, login, officer_a, sub_unit_a, shot
):
    login("officer_a", PASSWORD)
    switch_language(page, "en")
    page.click("#sidenav a[href='/inventory/systems/']")
    page.click("a[href='/inventory/systems/new/']")
    page.select_option("#id_unit", label="Trường THCS A1")
    page.fill("#id_name", "Cổng thông tin trường A1")
    page.fill("#id_owner_body", "UBND phường Bắc Sơn")
    page.select_option("#id_system_type", "citizen")
    page.select_option("#id_subtype", "portal")
    page.check("input[name=info_classes][value=public]")
    page.check("input[name=info_classes][value=personal]")
    page.fill("#id_user_count", "1200")
    page.select_option("#id_security_level", "2")
    page.select_option("#id_dossier_status", "draft")
    shot(page, "system-form")
    with page.expect_navigation():
        page.click("main form button[type=submit].primary")

    system = InformationSystem.objects.get(name="Cổng thông tin trường A1")
    assert page.url.endswith(f"/inventory/systems/{system.pk}/")
    expect(page.locator("h1")).to_have_text("Cổng thông tin trường A1")
    fields = page.locator("dl.fields")
    expect(fields).to_contain_text("Trường THCS A1")
    expect(fields).to_contain_text("Serving citizens and businesses")
    classes = fields.locator("dt:text-is('Information classes') + dd .badge")
    expect(classes).to_have_text(["Public information", "Personal information"])
    shot(page, "system-detail")
    assert (system.unit, system.system_type, system.subtype) == (sub_unit_a, "citizen", "portal")
    assert sorted(system.info_classes) == ["personal", "public"]
    assert (system.user_count, system.security_level, system.dossier_status) == (1200, 2, "draft")
    assert AuditEntry.objects.filter(action="create", object_id=str(system.pk)).exists()

    page.click(".crumbs a")
    row = page.locator("table.data tbody tr", has_text="Cổng thông tin trường A1")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Trường THCS A1")
    shot(page, "system-list")


def test_a_missing_name_is_refused_and_nothing_is_saved(page, login, officer_a):
    login("officer_a", PASSWORD)
    page.goto("/inventory/systems/new/")
    page.select_option("#id_system_type", "internal")
    with page.expect_navigation():
        page.click("main form button[type=submit].primary")
    expect(page.locator(".field.has-error #id_name")).to_have_count(1)
    assert not InformationSystem.objects.exists()


def test_a_ward_officer_cannot_open_another_wards_system(
    page, login, officer_a, unit_a, unit_b, shot
):
    own = factories.make_system(unit_a, name="Một cửa phường Bắc Sơn")
    other = factories.make_system(unit_b, name="Một cửa phường Nam Sơn")
    login("officer_a", PASSWORD)

    response = page.goto(f"/inventory/systems/{other.pk}/")
    assert response.status == 404
    expect(page.locator("body")).not_to_contain_text("Một cửa phường Nam Sơn")
    shot(page, "system-not-found")
    response = page.goto(f"/inventory/systems/{other.pk}/edit/")
    assert response.status == 404

    page.goto("/inventory/systems/")
    rows = page.locator("table.data tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(own.name)
    expect(page.locator("main")).not_to_contain_text("Nam Sơn")
    other.refresh_from_db()
    assert other.name == "Một cửa phường Nam Sơn"
