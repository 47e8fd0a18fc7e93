import datetime as dt
import logging

import pytest
from django.utils import timezone

from citysoc.directives import issuing
from citysoc.directives.reminders import remind_due_assignments
from citysoc.notify import outbox
from citysoc.notify.models import Delivery, Message
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


def _remind(today):
    """Run the reminder, then the outbox worker's send, as the scheduler would."""
    result = remind_due_assignments(today)
    outbox.send_due()
    return result


def test_each_unit_hears_about_its_open_items_due_soon_or_late(smtp, directive, unit_b):
    directive.assignments.filter(unit=unit_b).update(status="done")
    result = _remind(TODAY)
    assert (result.units, result.assignments, result.emails) == (1, 2, 1)
    assert sorted(m["To"] for m in smtp) == [
        "officer_a@example.gov.vn",
        "operator_a@example.gov.vn",
    ]
    message = smtp[0]
    assert "2 directive items to answer, 1 overdue" in message["Subject"]
    body = _body(message)
    assert "OVERDUE 18/01/2027" in body
    assert "due 22/01/2027" in body
    assert "Item 3" not in body
    first = directive.assignments.get(unit__code="ward-a", item__order=1)
    assert f"/directives/assignments/{first.pk}/" in body


def test_the_outbox_records_who_was_told(smtp, directive, unit_a):
    _remind(TODAY)
    (message,) = Message.objects.filter(
        topic="directives.reminder", deliveries__channel__unit=unit_a
    ).distinct()
    sent = message.deliveries.filter(status=Delivery.Status.SENT)
    assert sorted(sent.values_list("recipient", flat=True)) == [
        "officer_a@example.gov.vn",
        "operator_a@example.gov.vn",
    ]
    assert {d.channel.kind for d in sent} == {"people"}


def test_a_reminder_is_not_sent_twice_for_the_same_assignment_and_day(smtp, directive):
    assert _remind(TODAY).emails == 2
    again = _remind(TODAY)
    assert (again.assignments, again.emails) == (0, 0)
    count = len(smtp)
    # The next day the late items are still open, so each unit hears again.
    assert _remind(TODAY + dt.timedelta(days=1)).emails == 2
    assert len(smtp) == 2 * count


def test_an_answered_item_leaves_the_next_reminder(smtp, directive, unit_a, unit_b):
    directive.assignments.filter(unit=unit_b).update(status="done")
    directive.assignments.filter(unit=unit_a, item__order=1).update(
        status="not_applicable", reason="không có máy chủ"
    )
    _remind(TODAY)
    assert {m["Subject"] for m in smtp} == {"[citysoc] 1 directive items to answer, 0 overdue"}
    assert all("OVERDUE" not in _body(m) for m in smtp)


def test_nothing_is_sent_for_a_draft(smtp, city, unit_a, officer_a):
    directive = factories.make_directive(city, recipient_kinds=["ward"])
    directive.items.update(due_date=TODAY)
    assert _remind(TODAY).emails == 0
    assert smtp == []


def test_a_unit_with_nobody_to_write_to_shows_in_the_outbox_and_the_log(
    smtp, directive, unit_b, caplog
):
    unit_b.people.all().delete()
    with caplog.at_level(logging.WARNING, logger="citysoc.notify.reach"):
        result = _remind(TODAY)
    assert (result.emails, result.unreachable) == (1, 1)
    assert "Phường Nam Sơn has nobody to tell" in caplog.text
    failed = Delivery.objects.get(channel__unit=unit_b, message__topic="directives.reminder")
    assert failed.status == Delivery.Status.FAILED
    assert "nobody to tell" in failed.last_error
    # Not marked: the next day's run tries again (and the outbox says so again).
    assert not directive.assignments.filter(unit=unit_b, last_reminded_on__isnull=False).exists()


def test_when_the_mail_server_is_down_the_outbox_retries_until_it_is_back(directive, settings):
    with smtp_server() as (port, _inbox):
        pass  # the port is free again: nothing listens on it
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    result = _remind(TODAY)
    assert result.emails == 2
    waiting = Delivery.objects.filter(message__topic="directives.reminder")
    assert set(waiting.values_list("status", flat=True)) == {Delivery.Status.QUEUED}
    assert all("mail server unreachable" in d.last_error for d in waiting)
    with smtp_server() as (port, inbox):
        settings.EMAIL_PORT = port
        outbox.send_due(now=timezone.now() + dt.timedelta(minutes=5))
    assert len(inbox) == waiting.count()
    assert set(waiting.values_list("status", flat=True)) == {Delivery.Status.SENT}
