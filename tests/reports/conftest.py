"""The small city every scoreboard and report test scores by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from citysoc.compliance import assessing
from citysoc.compliance.models import AssessmentItem
from citysoc.directives import issuing
from citysoc.directives.models import ActionItem, Assignment
from citysoc.intel.models import CleanupTask
from tests import factories
from tests.compliance.test_assessing import make_library
from tests.core import work_world


@pytest.fixture
def small_city(unit_a, unit_b, officer_a):
    """Ward A: compliance 2 met + 1 partly + 1 not met of 4; one critical and two high
    vulnerabilities; one infected host, overdue; 1 of 2 directive items answered on time;
    no roster. Ward B: one high vulnerability and no roster."""
    today = timezone.localdate()
    system = factories.make_system(unit_a, name="Cổng", level=3)
    assessment = assessing.start(system, make_library(), by=officer_a)
    for ref, status in (("1.1", "met"), ("1.2", "met"), ("2.1", "partly"), ("2.2", "not_met")):
        AssessmentItem.objects.filter(assessment=assessment, requirement__ref_id=ref).update(
            status=status
        )
    late, later = today - dt.timedelta(days=1), today + dt.timedelta(days=30)
    factories.make_vuln_finding(unit_a, severity="critical", kev=True, due_date=late)
    factories.make_vuln_finding(unit_a, severity="high", due_date=late)
    factories.make_vuln_finding(unit_a, severity="high", due_date=later)
    factories.make_vuln_finding(unit_b, severity="high", due_date=late)
    factories.make_host(unit_a, hostname="pc-1", ipv4="192.0.2.7")
    work_world.botnet_list("192.0.2.7")
    CleanupTask.objects.update(due_date=today - dt.timedelta(days=1))
    directive = factories.make_directive(unit_a.parent)
    directive.recipient_units.add(unit_a)
    due = today - dt.timedelta(days=3)
    ActionItem.objects.filter(directive=directive).update(due_date=due)
    issuing.issue(directive, by=None)
    on_time = timezone.make_aware(dt.datetime.combine(due, dt.time(9)))
    first = Assignment.objects.filter(unit=unit_a).order_by("item__order").first()
    Assignment.objects.filter(pk=first.pk).update(status="done", answered_at=on_time)
    return today
