"""Programmes: the audience gets the round's courses, completion per person/unit/city,
reminders go to the unit's administrators through the outbox."""

from __future__ import annotations

import datetime as dt

import pytest

from citysoc.awareness import programmes
from citysoc.awareness.models import Enrolment, Programme
from citysoc.core.models import Person
from citysoc.notify.models import Message
from tests import factories

pytestmark = pytest.mark.django_db
START = dt.date(2026, 1, 5)


def _programme(unit, audience, **extra):
    programme = Programme.objects.create(unit=unit, name="Tết 2027", starts_on=START, **extra)
    programme.courses.add(factories.make_course())
    programme.audience_units.add(*audience)
    return programme


def _people(unit, n):
    return [Person.objects.create(unit=unit, full_name=f"Cán bộ {i}", email=f"p{i}@example.gov.vn")
            for i in range(n)]  # fmt: skip


def test_the_audience_is_enrolled_once_per_round(city, unit_a, sub_unit_a, unit_b):
    _people(unit_a, 2)
    _people(sub_unit_a, 1)
    _people(unit_b, 1)
    programme = _programme(city, [unit_a], due_days=30)
    assert programmes.assign(programme, today=START) == 3
    assert programmes.assign(programme, today=START + dt.timedelta(days=3)) == 0
    assert set(Enrolment.objects.values_list("due_on", flat=True)) == {dt.date(2026, 2, 4)}


def test_a_unit_programme_never_reaches_people_outside_its_unit(unit_a, unit_b):
    _people(unit_b, 2)
    programme = _programme(unit_a, [unit_a, unit_b])
    assert programmes.assign(programme, today=START) == 0


def test_roles_narrow_the_audience_and_a_recurring_programme_starts_a_new_round(unit_a):
    _people(unit_a, 2)
    Person.objects.create(unit=unit_a, full_name="Quản trị", role="unit_admin")
    programme = _programme(unit_a, [unit_a], audience_roles=["unit_admin"], recurrence_days=365)
    assert programmes.assign(programme, today=START) == 1
    assert programmes.assign(programme, today=START + dt.timedelta(days=366)) == 1
    assert sorted(programme.enrolments.values_list("round", flat=True)) == [1, 2]


def test_completion_per_unit_and_overall(city, unit_a, unit_b):
    a = _people(unit_a, 2)
    _people(unit_b, 2)
    programme = _programme(city, [unit_a, unit_b], due_days=10)
    programmes.assign(programme, today=START)
    Enrolment.objects.filter(person=a[0]).update(status=Enrolment.Status.PASSED)
    parts = programmes.completion_by_unit(
        programmes.current_enrolments(programme, today=START), today=START + dt.timedelta(days=20)
    )
    assert [(c.label, c.done, c.total, c.overdue) for c in parts] == [
        (unit_a.name, 1, 2, 1),
        (unit_b.name, 0, 2, 2),
    ]
    overall = programmes.total(parts, "city")
    assert (overall.done, overall.total, overall.percent) == (1, 4, 25)


def test_the_programme_page_shows_completion_per_person(client, city_admin, city, unit_a):
    _people(unit_a, 2)
    programme = _programme(city, [unit_a])
    programmes.assign(programme, today=START)
    client.force_login(city_admin)
    page = client.get(f"/awareness/programmes/{programme.pk}/").content.decode()
    assert "Cán bộ 0" in page and "0/2" in page


def test_a_ward_follows_up_the_citys_programme_from_its_work_page(
    client, officer_a, city, unit_a, unit_b
):
    _people(unit_a, 2)
    Person.objects.create(unit=unit_b, full_name="Người phường B", email="b@example.gov.vn")
    programme = _programme(city, [unit_a, unit_b])
    programmes.assign(programme, today=START)
    client.force_login(officer_a)
    url = f"/awareness/programmes/{programme.pk}/"
    assert url in client.get("/work/").content.decode()  # its "Follow up" link…
    page = client.get(url)
    assert page.status_code == 200  # …opens, on its own people only
    text = page.content.decode()
    assert "Cán bộ 0" in text and "Người phường B" not in text and unit_b.name not in text
    other = Programme.objects.create(unit=city, name="Khác", starts_on=START)
    assert client.get(f"/awareness/programmes/{other.pk}/").status_code == 404


def test_a_unit_admin_creates_a_programme_and_its_audience_is_enrolled(client, officer_a, unit_a):
    _people(unit_a, 2)
    course = factories.make_course()
    client.force_login(officer_a)
    response = client.post("/awareness/programmes/new/", {
        "unit": unit_a.pk, "name": "Ôn tập", "courses": [course.pk],
        "audience_units": [unit_a.pk], "starts_on": "2026-01-05", "due_days": 30,
        "recurrence_days": 0, "remind_days_before": 7,
    })  # fmt: skip
    assert response.status_code == 302
    assert Enrolment.objects.filter(programme__name="Ôn tập").count() == 3  # with officer_a


def test_reminders_tell_the_units_admins_about_courses_due_soon(unit_a, officer_a):
    _people(unit_a, 1)
    programme = _programme(unit_a, [unit_a], due_days=10, remind_days_before=3)
    programmes.assign(programme, today=START)
    assert programmes.remind(today=START) == 0
    assert programmes.remind(today=START + dt.timedelta(days=8)) == 1
    message = Message.objects.get(topic=programmes.TOPIC)
    assert "Cán bộ 0" in message.body
    assert programmes.remind(today=START + dt.timedelta(days=8)) == 1  # same day: no new row
    assert Message.objects.filter(topic=programmes.TOPIC).count() == 1


def test_named_people_outside_the_programmes_unit_are_refused(client, officer_a, unit_a, unit_b):
    mine = Person.objects.create(unit=unit_a, full_name="Người A", email="a@example.gov.vn")
    course = factories.make_course()
    client.force_login(officer_a)
    form = {"unit": unit_a.pk, "name": "Riêng", "courses": [course.pk], "starts_on": "2026-01-05",
            "due_days": 30, "recurrence_days": 0, "remind_days_before": 7}  # fmt: skip
    client.post("/awareness/programmes/new/", {**form, "audience_people": [mine.pk]})
    assert list(Enrolment.objects.values_list("person__full_name", flat=True)) == ["Người A"]
    theirs = Person.objects.create(unit=unit_b, full_name="Người B")
    page = client.post("/awareness/programmes/new/", {**form, "audience_people": [theirs.pk]})
    assert page.status_code == 200 and Programme.objects.count() == 1
