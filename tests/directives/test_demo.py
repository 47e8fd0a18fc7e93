from collections import Counter

from citysoc.core import demo as core_demo
from citysoc.directives import demo
from citysoc.directives.models import Assignment, Directive, Evidence


def test_the_demo_tet_directive_is_issued_with_a_mix_of_answers_and_loads_once(db):
    core_demo.load()  # issues the next Tết's directive too
    directive = demo.load_tet(2026)
    loaded = Directive.objects.count()
    assert directive.is_issued
    statuses = Counter(directive.assignments.values_list("status", flat=True))
    assert set(statuses) == set(Assignment.Status.values)
    assert Evidence.objects.exists()
    isp_units = {a.unit.kind for a in Assignment.objects.filter(item__applies_to_kinds=["isp"])}
    assert isp_units == {"isp"}
    assert demo.load_tet(2026) == directive
    assert Directive.objects.count() == loaded
