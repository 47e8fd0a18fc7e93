"""Awareness pages on a phone (390 CSS pixels): the starter course, its quiz, the scam
checker with a verdict, a drill's and a programme's results; nothing scrolls sideways."""

import pytest

from citysoc.awareness import demo, starter
from citysoc.awareness.models import Course, Drill, Programme
from tests.browser.actions import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 390


def test_awareness_pages_fit_a_phone(phone_page, city_admin, city, unit_a, shot):
    starter.load()
    city.code = "tamdiep"
    city.save()
    unit_a.code = "p-bacson"
    unit_a.save()
    demo.load()
    course = Course.objects.get(slug="tet-scams")
    paths = [
        "/awareness/",
        f"/awareness/courses/{course.pk}/",
        f"/awareness/courses/{course.pk}/quiz/",
        "/awareness/scam-check/?q=Công+an+thông+báo+tài+khoản+của+bạn+liên+quan+vụ+án+rửa+"
        "tiền,+bấm+vào+link+http://bocongan.gov.vn.xyz/xac-minh-thong-tin-tai-khoan",
        f"/awareness/drills/{Drill.objects.get().pk}/",
        f"/awareness/programmes/{Programme.objects.get().pk}/",
        "/awareness/programmes/new/",
    ]
    page = phone_page
    log_in(page, "city_admin", PASSWORD)
    too_wide = {}
    for path in paths:
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE:
            too_wide[path] = width
        shot(page, "phone-awareness" + path.split("?")[0].replace("/", "-").rstrip("-"))
    assert too_wide == {}
