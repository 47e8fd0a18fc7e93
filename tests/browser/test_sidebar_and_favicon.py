"""What a browser showed wrong on the incidents page (issue 14, item 12)."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_incidents_page_lights_one_sidebar_item_and_the_icon_loads(page, login, city_admin):
    login(city_admin.username, PASSWORD)
    page.goto("/alerts/incidents/")  # an old bookmark lands on the incidents area
    expect(page).to_have_url(re.compile(r"/incidents/$"))
    active = page.locator("#sidenav a.active")
    expect(active).to_have_count(1)
    expect(active).to_have_attribute("href", "/incidents/")
    # Asked for by browsers and feed readers whatever the page links.
    icon = page.request.get("/favicon.ico")
    assert icon.ok
    assert icon.body()[:4] == b"\x00\x00\x01\x00"
