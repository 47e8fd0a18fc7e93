"""The demo city's awareness part: a programme about half complete, a finished drill with
clicks, and nothing doubled by a second load."""

from __future__ import annotations

import pytest

from citysoc.awareness import demo
from citysoc.awareness.models import Drill, Enrolment, Programme, Target
from citysoc.core.models import Unit
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_half_done_programme_and_a_finished_drill_and_loads_once():
    city = factories.make_unit("tamdiep", kind=Unit.Kind.CITY)
    for code in demo.WARDS:
        factories.make_unit(code, parent=city)
    demo.load()
    demo.load()
    programme = Programme.objects.get(name=demo.PROGRAMME)
    enrolments = programme.enrolments.all()
    passed = enrolments.filter(status=Enrolment.Status.PASSED).count()
    assert enrolments.count() == 18 and 4 <= passed <= 14
    drill = Drill.objects.get(name=demo.DRILL)
    assert drill.status == Drill.Status.FINISHED and drill.targets.count() == 18
    assert Target.objects.filter(status__in=["clicked", "submitted"]).exists()
    assert Enrolment.objects.filter(reason="drill").exists()  # the loop ran
