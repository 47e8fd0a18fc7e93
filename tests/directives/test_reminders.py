import datetime as dt

from django.core import mail

from citysoc.directives import issuing
from citysoc.directives.reminders import remind_due_assignments
from tests import factories

TODAY = dt.date(2027, 1, 20)


def test_each_unit_hears_about_its_open_items_due_soon_or_late(
    city, unit_a, unit_b, officer_a, officer_b, operator_a, city_admin
):
    directive = factories.make_directive(city, recipient_kinds=["ward"], items=3)
    directive.items.filter(order=1).update(due_date=TODAY - dt.timedelta(days=2))
    directive.items.filter(order=2).update(due_date=TODAY + dt.timedelta(days=2))
    directive.items.filter(order=3).update(due_date=TODAY + dt.timedelta(days=30))
    issuing.issue(directive, by=city_admin)
    directive.assignments.filter(unit=unit_b).update(status="done")
    result = remind_due_assignments(TODAY)
    assert (result.units, result.assignments, result.emails) == (1, 2, 1)
    (message,) = mail.outbox
    assert sorted(message.to) == ["officer_a@example.gov.vn", "operator_a@example.gov.vn"]
    assert "2 directive items to answer, 1 overdue" in message.subject
    assert "OVERDUE 18/01/2027" in message.body
    assert "Item 3" not in message.body


def test_nothing_is_sent_for_a_draft(city, unit_a, officer_a):
    directive = factories.make_directive(city, recipient_kinds=["ward"])
    directive.items.update(due_date=TODAY)
    assert remind_due_assignments(TODAY).emails == 0
    assert mail.outbox == []
