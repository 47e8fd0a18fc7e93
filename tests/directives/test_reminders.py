import datetime as dt
import logging

import pytest

from citysoc.directives import issuing
from citysoc.directives.reminders import remind_due_assignments
from tests import factories
from tests.support.smtp import smtp_server

TODAY = dt.date(2027, 1, 20)


@pytest.fixture
def directive(city, unit_a, unit_b, officer_a, officer_b, operator_a, city_admin):
    directive = factories.make_directive(city, recipient_kinds=["ward"], items=3)
    directive.items.filter(order=1).update(due_date=TODAY - dt.timedelta(days=2))
    directive.items.filter(order=2).update(due_date=TODAY + dt.timedelta(days=2))
    directive.items.filter(order=3).update(due_date=TODAY + dt.timedelta(days=30))
    issuing.issue(directive, by=city_admin)
    return directive


def _body(message) -> str:
    return message.get_payload(decode=True).decode()


def test_each_unit_hears_about_its_open_items_due_soon_or_late(smtp, directive, unit_b):
    directive.assignments.filter(unit=unit_b).update(status="done")
    result = remind_due_assignments(TODAY)
    assert (result.units, result.assignments, result.emails) == (1, 2, 1)
    (message,) = smtp
    assert message["To"] == "officer_a@example.gov.vn, operator_a@example.gov.vn"
    assert "2 directive items to answer, 1 overdue" in message["Subject"]
    body = _body(message)
    assert "OVERDUE 18/01/2027" in body
    assert "due 22/01/2027" in body
    assert "Item 3" not in body
    first = directive.assignments.get(unit__code="ward-a", item__order=1)
    assert f"/directives/assignments/{first.pk}/" in body


def test_a_reminder_is_not_sent_twice_for_the_same_assignment_and_day(smtp, directive):
    assert remind_due_assignments(TODAY).emails == 2
    again = remind_due_assignments(TODAY)
    assert (again.assignments, again.emails) == (0, 0)
    assert len(smtp) == 2
    # The next day the late items are still open, so each unit hears again.
    assert remind_due_assignments(TODAY + dt.timedelta(days=1)).emails == 2
    assert len(smtp) == 4


def test_an_answered_item_leaves_the_next_reminder(smtp, directive, unit_a, unit_b):
    directive.assignments.filter(unit=unit_b).update(status="done")
    directive.assignments.filter(unit=unit_a, item__order=1).update(
        status="not_applicable", reason="không có máy chủ"
    )
    remind_due_assignments(TODAY)
    (message,) = smtp
    assert "1 directive items to answer, 0 overdue" in message["Subject"]
    assert "OVERDUE" not in _body(message)


def test_nothing_is_sent_for_a_draft(smtp, city, unit_a, officer_a):
    directive = factories.make_directive(city, recipient_kinds=["ward"])
    directive.items.update(due_date=TODAY)
    assert remind_due_assignments(TODAY).emails == 0
    assert smtp == []


def test_a_unit_with_nobody_to_write_to_is_named_in_the_log(smtp, directive, unit_b, caplog):
    unit_b.people.all().delete()
    with caplog.at_level(logging.WARNING, logger="citysoc.directives.reminders"):
        result = remind_due_assignments(TODAY)
    assert (result.emails, result.unreachable) == (1, 1)
    assert "Phường Nam Sơn has open items but no active administrator" in caplog.text


def test_when_the_mail_server_is_down_nothing_is_marked_and_the_next_run_retries(
    directive, settings, caplog
):
    with smtp_server() as (port, _inbox):
        pass  # the port is free again: nothing listens on it
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    result = remind_due_assignments(TODAY)
    assert (result.emails, result.failed) == (0, 2)
    assert "tried again on the next run" in caplog.text
    assert not directive.assignments.filter(last_reminded_on__isnull=False).exists()
    with smtp_server() as (port, inbox):
        settings.EMAIL_PORT = port
        assert remind_due_assignments(TODAY).emails == 2
    assert len(inbox) == 2
