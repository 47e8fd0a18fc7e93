"""Awareness in the tenancy sweep: one ward's programme, passed enrolment, drill and events."""

from __future__ import annotations

import datetime as dt

from citysoc.awareness import drills
from citysoc.awareness.models import Course, Enrolment, Programme
from citysoc.core.models import Person
from tests import factories

MODELS = {
    "courses": "course",
    "programmes": "programme",
    "enrolments": "enrolment",
    "drills": "drill",
}
SHARED_MODELS = {"course": "a course of the city: lessons and questions, no unit's data"}
TRACKING = ("track-open", "track-click", "track-submit", "track-report")
NOT_UNIT_OBJECTS = dict.fromkeys(
    (f"awareness:{name}" for name in TRACKING),
    "a drill recipient's link: an unguessable tracking id, no login by design",
)
POST_ONLY = {"awareness:drill-send", "awareness:drill-finish"}


def build(unit, officer, letter: str, third_octets: str) -> dict[str, int]:
    course = Course.objects.filter(slug="sweep-course").first() or factories.make_course(
        slug="sweep-course", title="Nhận diện lừa đảo"
    )
    person = Person.objects.create(
        unit=unit, full_name=f"MARK-{letter} Trần Thị", email=f"mark-{letter.lower()}@example.vn"
    )
    programme = Programme.objects.create(unit=unit, name=f"MARK-{letter} programme",
                                         starts_on=dt.date(2026, 1, 5))  # fmt: skip
    programme.courses.add(course)
    programme.audience_units.add(unit)
    enrolment = Enrolment.objects.create(
        unit=unit, person=person, course=course, programme=programme, reason="programme",
        status="passed", best_score=90,
    )  # fmt: skip
    drill = factories.make_drill(unit, name=f"MARK-{letter} drill", course=course)
    drills.add_targets(drill, [person])
    drills.record(drill.targets.get(), "sent")
    drills.record(drill.targets.get(), "clicked", {"user_agent": f"MARK-{letter}"})
    return {
        "course": course.pk,
        "programme": programme.pk,
        "enrolment": enrolment.pk,
        "drill": drill.pk,
    }
