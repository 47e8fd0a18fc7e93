import datetime as dt
from email.header import decode_header, make_header

import pytest

from citysoc.duty import gapwarnings
from citysoc.duty.models import GapNotice
from citysoc.notify import outbox
from citysoc.notify.models import Delivery
from tests.duty.conftest import TET_2025, make_roster

TODAY = TET_2025 - dt.timedelta(days=5)


def warn(today):
    """The warning, then the outbox worker's send, as the scheduler runs them."""
    result = gapwarnings.warn_gaps(today)
    outbox.send_due()
    return result


@pytest.fixture
def holey_roster(unit_a, duty_people):
    """Days staffed, the nights of 27 and 28/01 not."""
    return make_roster(
        unit_a,
        TET_2025 - dt.timedelta(days=2),
        TET_2025 - dt.timedelta(days=1),
        day=[duty_people["hai"]],
        night=[],
        name="Lịch trực Tết Ất Tỵ",
    )


def test_the_admins_get_one_mail_and_not_twice_for_the_same_gap(smtp, holey_roster):
    result = warn(TODAY)
    assert (result.emails, result.gaps) == (1, 3)
    assert len(smtp) == 1
    message = smtp[0]
    assert message["To"] == "officer_a@example.gov.vn"  # the unit admin, not the operator
    body = message.get_payload(decode=True).decode()
    assert "19:00 27/01/2025" in body and "07:00 28/01/2025" in body
    assert f"/duty/rosters/{holey_roster.pk}/" in body

    assert warn(TODAY + dt.timedelta(days=1)).emails == 0
    assert len(smtp) == 1
    assert GapNotice.objects.filter(roster=holey_roster).count() == 3


def test_a_new_gap_is_mailed_again(smtp, holey_roster, duty_people):
    warn(TODAY)
    holey_roster.shifts.get(name="Ca ngày").people.clear()
    assert warn(TODAY).emails == 1
    assert len(smtp) == 2


def test_rosters_starting_later_or_full_ones_are_not_mailed(smtp, holey_roster, tet_roster):
    # Eight days before: too early; the full roster has no gap at all.
    assert warn(holey_roster.starts_on - dt.timedelta(days=8)).emails == 0
    assert warn(tet_roster.starts_on - dt.timedelta(days=1)).emails == 1
    assert len(smtp) == 1
    assert "Lịch trực Tết Ất Tỵ" in str(make_header(decode_header(smtp[0]["Subject"])))


def test_a_failing_mail_server_leaves_the_warning_queued_in_the_outbox(settings, holey_roster):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    assert warn(TODAY).emails == 1
    (delivery,) = Delivery.objects.filter(message__topic="duty.gaps")
    assert delivery.status == Delivery.Status.QUEUED
    assert "mail server unreachable" in delivery.last_error


def test_a_unit_without_an_admin_e_mail_is_shown_in_the_outbox(holey_roster, unit_a):
    unit_a.people.update(email="")
    result = warn(TODAY)
    assert (result.emails, result.unreachable) == (0, 1)
    (delivery,) = Delivery.objects.filter(message__topic="duty.gaps")
    assert (delivery.status, delivery.channel.unit) == (Delivery.Status.FAILED, unit_a)
    assert not GapNotice.objects.exists()  # told again once someone can hear it
