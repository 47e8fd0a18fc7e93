"""The duty area in the browser: a ward officer writes the duty log; the city watches the
on-duty board."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from citysoc.core.models import Person
from citysoc.duty.models import Layer, Roster, Shift
from tests.browser.actions import log_in, switch_language
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ward_a_roster(unit_a, officer_a):
    """Ward A's roster of this week: one 24-hour shift, Officer_A on it."""
    today = timezone.localdate()
    roster = Roster.objects.create(
        unit=unit_a,
        name="Lịch trực tuần",
        starts_on=today - dt.timedelta(days=1),
        ends_on=today + dt.timedelta(days=1),
    )
    layer = Layer.objects.create(roster=roster, name="Ca chính")
    shift = Shift.objects.create(
        roster=roster, layer=layer, name="Cả ngày", start_time=dt.time(7), end_time=dt.time(7)
    )
    person = Person.objects.get(user=officer_a)
    person.phone = "0913 100 001"
    person.save()
    shift.people.set([person])
    return roster


def test_a_ward_officer_writes_the_duty_log(page, officer_a, shot):
    log_in(page, "officer_a", PASSWORD)
    switch_language(page, "en")
    page.click("#sidenav a[href='/duty/']")
    page.click("a[href='/duty/log/']")
    form = page.locator("[data-testid=entry-form]")
    form.locator("#id_entry-checked").fill("Kiểm tra tường lửa và hệ thống giám sát")
    form.locator("#id_entry-seen").fill("Một máy trạm có cảnh báo mã độc")
    form.locator("#id_entry-done").fill("Đã cách ly máy trạm")
    shot(page, "duty-log-form")
    form.locator("button[type=submit]").click()

    expect(page.locator(".messages")).to_contain_text("added to the duty log")
    entries = page.locator("[data-testid=entries] tbody tr")
    expect(entries).to_have_count(1)
    expect(entries.first).to_contain_text("Một máy trạm có cảnh báo mã độc")
    expect(entries.first).to_contain_text("Officer_A")


def test_the_city_sees_who_is_on_duty_now(page, city_admin, unit_b, ward_a_roster, shot):
    log_in(page, "city_admin", PASSWORD)
    switch_language(page, "en")
    page.goto("/duty/board/")
    shot(page, "duty-board")
    ward_a = page.locator("[data-testid=board] tr[data-unit=ward-a]")
    expect(ward_a).to_contain_text("Officer_A")
    expect(ward_a).to_contain_text("0913 100 001")
    ward_b = page.locator("[data-testid=board] tr[data-unit=ward-b]")
    expect(ward_b).to_have_class("uncovered")
    expect(ward_b).to_contain_text("No roster")
