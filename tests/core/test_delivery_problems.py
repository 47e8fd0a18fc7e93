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
    assert "Directive reminders" in unit_page or "Nhắc hạn văn bản chỉ đạo" in unit_page
    # A ward sees its own problems only.
    ward_page = client_as(officer_a).get(reverse("core:dashboard")).content.decode()
    assert "data-delivery-problems" not in ward_page

    # Someone adds an e-mail address: the next run reaches the unit and the line goes.
    Person.objects.filter(user=officer_b).update(email="attt@namson.example.gov.vn")
    directive.assignments.update(last_reminded_on=None)
    remind_due_assignments(TODAY)
    dashboard = client_as(city_admin).get(reverse("core:dashboard")).content.decode()
    assert "data-delivery-problems" not in dashboard


def test_a_refused_mail_and_a_warning_nobody_receives_are_both_shown(
    settings, unit_a, officer_a, client_as, city_admin
):
    from citysoc.duty import gapwarnings
    from citysoc.notify import outbox
    from tests.duty.conftest import TET_2025, make_roster

    roster = make_roster(
        unit_a,
        TET_2025 - dt.timedelta(days=2),
        TET_2025 - dt.timedelta(days=1),
        day=[Person.objects.get(user=officer_a)],
        night=[],
        name="Lịch trực Tết",
    )
    today = TET_2025 - dt.timedelta(days=5)
    # The mail server refuses: the outbox keeps retrying, and the unit's page says why.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    gapwarnings.warn_gaps(today)
    outbox.send_due()
    page = client_as(city_admin).get(reverse("core:unit-detail", args=[unit_a.pk]))
    assert 'data-problem="ward-a:duty.gaps"' in page.content.decode()
    assert unit_a.delivery_problems.get().problem == "send_failed"
    # A new gap when nobody is left with an address: the same line now says so.
    Person.objects.filter(unit=unit_a).update(email="")
    roster.shifts.get(name="Ca ngày").people.clear()
    gapwarnings.warn_gaps(today)
    problem = unit_a.delivery_problems.get()
    assert (problem.topic, problem.problem, problem.times) == ("duty.gaps", "no_recipient", 2)


def test_a_level_reminder_for_a_unit_without_an_administrator_address_is_shown(
    unit_a, unit_b, officer_a, officer_b, client_as, city_admin
):
    from citysoc.inventory import reminders

    factories.make_system(unit_a, level=None)
    factories.make_system(unit_b, level=None)
    Person.objects.filter(user=officer_b).update(email="")
    reminders.remind_unapproved_levels()
    page = client_as(city_admin).get(reverse("core:dashboard")).content.decode()
    assert 'data-problem="ward-b:inventory.levels"' in page
    assert 'data-problem="ward-a:inventory.levels"' not in page
