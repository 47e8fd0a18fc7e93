"""A reminder that reaches nobody is shown on the unit's page and the city dashboard."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from citysoc.core.models import Person
from citysoc.directives import issuing
from citysoc.directives.reminders import remind_due_assignments
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = dt.date(2027, 1, 20)


@pytest.fixture
def directive(city, unit_a, unit_b, officer_a, officer_b, city_admin):
    directive = factories.make_directive(city, recipient_kinds=["ward"], items=1)
    directive.items.update(due_date=TODAY - dt.timedelta(days=2))
    issuing.issue(directive, by=city_admin)
    return directive


def test_a_unit_with_nobody_to_write_to_shows_on_its_page_and_the_dashboard(
    smtp, directive, unit_a, unit_b, officer_b, client_as, city_admin, officer_a
):
    Person.objects.filter(unit=unit_b).update(email="")
    remind_due_assignments(TODAY)

    client = client_as(city_admin)
    dashboard = client.get(reverse("core:dashboard")).content.decode()
    assert f'data-problem="{unit_b.code}:directives.reminder"' in dashboard
    assert f'data-problem="{unit_a.code}:directives.reminder"' not in dashboard  # reached
    unit_page = client.get(reverse("core:unit-detail", args=[unit_b.pk])).content.decode()
    assert 'data-problem="ward-b:directives.reminder"' in unit_page
    assert "Directive reminders" in unit_page or "Nhắc hạn công văn" in unit_page
    # A ward sees its own problems only.
    ward_page = client_as(officer_a).get(reverse("core:dashboard")).content.decode()
    assert "data-delivery-problems" not in ward_page

    # Someone adds an e-mail address: the next run reaches the unit and the line goes.
    Person.objects.filter(user=officer_b).update(email="attt@namson.example.gov.vn")
    directive.assignments.update(last_reminded_on=None)
    remind_due_assignments(TODAY)
    dashboard = client_as(city_admin).get(reverse("core:dashboard")).content.decode()
    assert "data-delivery-problems" not in dashboard
