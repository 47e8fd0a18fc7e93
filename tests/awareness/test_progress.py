"""The directive's "awareness" item shows the unit's completion and drill results."""

from __future__ import annotations

import datetime as dt

import pytest

from citysoc.awareness import drills
from citysoc.awareness.models import Enrolment, Programme
from citysoc.core.models import Person
from citysoc.directives.area_progress import progress_for
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_the_awareness_item_counts_courses_and_drills_of_the_unit_and_below(
    city, unit_a, sub_unit_a, unit_b
):
    course = factories.make_course()
    programme = Programme.objects.create(unit=unit_a, name="P", starts_on=dt.date(2026, 1, 5))
    for unit, status in ((unit_a, "passed"), (sub_unit_a, "assigned"), (unit_b, "passed")):
        person = Person.objects.create(unit=unit, full_name="X", email="x@example.gov.vn")
        Enrolment.objects.create(unit=unit, person=person, course=course, programme=programme,
                                 reason="programme", status=status)  # fmt: skip
    drill = factories.make_drill(unit_a)
    drills.add_targets(drill, Person.objects.filter(unit=unit_a))
    drills.record(drill.targets.get(), "clicked")
    item = factories.make_directive(city).items.first()
    item.area = "awareness"
    progress = progress_for(item, unit_a)
    assert progress.tracked and progress.url == "/awareness/"
    assert progress.summary.startswith("Training: 1 of 2 courses completed (50%)")
    assert "1 e-mails, 1 clicked (100%)" in progress.summary
