"""Recurring duties: due dates from the library's data, and reminders sent once by e-mail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from citysoc import scheduler
from citysoc.compliance import duties, tasks
from citysoc.compliance.models import DutyReminder
from citysoc.core.models import Unit
from citysoc.notify import outbox
from citysoc.notify.models import Delivery
from tests import factories
from tests.compliance.test_overview import approved, assess, make_duty, make_library
from tests.support.smtp import smtp_server

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"  # the assertions read the English subject and body


@pytest.fixture
def library(db):
    return make_library()


def _body(message) -> str:
    return message.get_payload(decode=True).decode()


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2026, 3, 15), 12, dt.date(2027, 3, 15)),
        (dt.date(2026, 11, 30), 6, dt.date(2027, 5, 30)),
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
    ],
)
def test_months_are_added_calendar_wise(day, months, expected):
    assert duties.add_months(day, months) == expected


def test_a_yearly_deadline_is_the_next_such_day():
    assert duties.next_deadline("11-30", dt.date(2026, 11, 1)) == dt.date(2026, 11, 30)
    assert duties.next_deadline("11-30", dt.date(2026, 11, 30)) == dt.date(2026, 11, 30)
    assert duties.next_deadline("11-30", dt.date(2026, 12, 1)) == dt.date(2027, 11, 30)


def test_a_level_3_system_is_due_a_year_after_its_last_completed_assessment(library, unit_a):
    make_duty(library, every_months=12, levels=[3, 4])
    make_duty(library, every_months=24, levels=[1, 2, 3, 4, 5], code="assess-organisation")
    assessed = approved(unit_a, "Assessed")
    assess(assessed, library, {}, completed=dt.date(2026, 1, 10))
    never = approved(unit_a, "Never assessed")
    level_1 = factories.make_system(unit_a, name="Level 1", level=1)
    found = duties.all_due(unit_a.systems.all(), TODAY)
    by_system = {(d.system.name, d.duty.code): d.due_on for d in found}
    # The yearly assessment of level 3 also fulfils the two-yearly one of every system.
    assert by_system == {
        ("Assessed", "assess-level-3"): dt.date(2027, 1, 10),
        ("Never assessed", "assess-level-3"): TODAY,
        ("Level 1", "assess-organisation"): TODAY,
    }
    assert never.pk and level_1.pk


def test_only_duties_within_their_window_or_late_are_due(library, unit_a):
    make_duty(library, every_months=12, remind_days_before=30)
    soon = approved(unit_a, "Due in 20 days")
    assess(soon, library, {}, completed=duties.add_months(TODAY, -12) + dt.timedelta(days=20))
    later = approved(unit_a, "Due in 60 days")
    assess(later, library, {}, completed=duties.add_months(TODAY, -12) + dt.timedelta(days=60))
    late = approved(unit_a, "Late")
    assess(late, library, {}, completed=duties.add_months(TODAY, -14))
    due = duties.due_duties(Unit.objects.all(), TODAY)
    assert [d.system.name for d in due] == ["Late", "Due in 20 days"]
    assert due[0].is_overdue(TODAY) and not due[1].is_overdue(TODAY)


def test_a_yearly_report_is_the_units_duty_once_whatever_its_systems(library, unit_a, unit_b):
    deadline = TODAY + dt.timedelta(days=10)
    make_duty(
        library,
        code="annual-report",
        title="Báo cáo hằng năm",
        every_months=12,
        deadline=deadline.strftime("%m-%d"),
        remind_days_before=21,
        levels=[3, 4, 5],
    )
    approved(unit_a, "One")
    approved(unit_a, "Two")
    factories.make_system(unit_b, name="Level 2 only", level=2)
    due = duties.due_duties(Unit.objects.all(), TODAY)
    assert [(d.unit, d.system, d.due_on) for d in due] == [(unit_a, None, deadline)]


def _send_reminders(today):
    """The reminder, then the outbox worker's send, as the scheduler runs them."""
    result = duties.send_reminders(today)
    outbox.send_due()
    return result


def test_the_reminder_goes_to_admins_and_operators_once(
    smtp, library, unit_a, unit_b, officer_a, operator_a, viewer_a, officer_b
):
    make_duty(library, every_months=12, source="NĐ 85/2016 Điều 20")
    portal = approved(unit_a, "Cổng thông tin phường A")
    assess(portal, library, {}, completed=duties.add_months(TODAY, -12) + dt.timedelta(days=5))
    result = _send_reminders(TODAY)
    assert (result.units, result.duties, result.emails) == (1, 1, 1)
    assert sorted(m["To"] for m in smtp) == sorted([officer_a.email, operator_a.email])
    message = smtp[0]
    assert "1 security duties due, 0 overdue" in message["Subject"]
    body = _body(message)
    due = duties.add_months(duties.add_months(TODAY, -12) + dt.timedelta(days=5), 12)
    assert f"[due {due:%d/%m/%Y}] Kiểm tra, đánh giá HTTT cấp độ 3 hằng năm" in body
    assert "Cổng thông tin phường A" in body and "NĐ 85/2016 Điều 20" in body
    assert f"/compliance/systems/{portal.pk}/start/" in body
    assert DutyReminder.objects.filter(unit=unit_a, system=portal, due_on=due).count() == 1

    again = _send_reminders(TODAY)
    assert (again.duties, again.emails) == (0, 0)
    assert len(smtp) == 2


def test_an_unofficial_source_note_is_a_link_to_the_library_page_not_the_note(
    smtp, library, unit_a, officer_a
):
    note = "NĐ 331/2026 Điều 30 per VNH (third-party summary) [UNCONFIRMED]"
    duty = make_duty(library, every_months=12, source=note, official=False)
    approved(unit_a, "Never assessed")
    _send_reminders(TODAY)
    body = _body(smtp[0])
    assert "[UNCONFIRMED]" not in body and "VNH" not in body
    assert f"/compliance/libraries/{library.pk}/#duty-{duty.pk}" in body


def test_a_refused_mail_stays_in_the_outbox_until_the_server_is_back(
    library, unit_a, officer_a, settings
):
    make_duty(library)
    approved(unit_a, "Never assessed")
    with smtp_server() as (port, _inbox):
        pass  # the server is gone: the port refuses connections
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    assert _send_reminders(TODAY).emails == 1
    (delivery,) = Delivery.objects.filter(message__topic="compliance.duty")
    assert (delivery.status, delivery.recipient) == (Delivery.Status.QUEUED, officer_a.email)
    with smtp_server() as (port, inbox):
        settings.EMAIL_PORT = port
        outbox.send_due(now=timezone.now() + dt.timedelta(minutes=5))
        assert len(inbox) == 1
    assert _send_reminders(TODAY).emails == 0  # told once: not queued again


def test_the_scheduler_runs_the_reminder_daily():
    job = next(j for j in scheduler.SCHEDULE if j.name == "compliance.duty_reminder")
    assert job.task == "citysoc.compliance.tasks.remind_duties"
    assert job.every == dt.timedelta(days=1)


def test_the_task_queues_the_reminders_and_reports_the_counts(smtp, library, unit_a, officer_a):
    make_duty(library)
    approved(unit_a, "Never assessed")
    assert tasks.remind_duties.call() == {"units": 1, "duties": 1, "emails": 1, "unreachable": 0}
    outbox.send_due()
    assert len(smtp) == 1


# --- the shipped libraries' dated duties (TT 12/2022 Art. 13, TT 20/2017, NĐ 331/2026) -------


def _shipped_due(unit, day: dt.date) -> dict[str, dt.date]:
    from citysoc.compliance import libraries

    libraries.load_all()
    return {
        d.duty.code: d.due_on
        for d in duties.all_due(unit.systems.all(), day)
        if d.system is None  # the unit's yearly deadlines
    }


def test_a_level_1_system_owes_the_tt12_reports_by_20_and_25_december(db, unit_a):
    # A ward's level-1 system under Decree 85: TT 12 Art. 13 binds every level (the repealed
    # TT 03 rule asked levels 3-5 only, by 30/11).
    factories.make_system(unit_a, name="Trang tin phường", level=1)
    due = _shipped_due(unit_a, dt.date(2025, 11, 1))
    assert due == {"report-to-owner": dt.date(2025, 12, 20), "annual-report": dt.date(2025, 12, 25)}


def test_the_quarterly_sharing_duty_never_runs_under_circular_12(db, unit_a):
    factories.make_system(unit_a, name="Cổng dịch vụ công", level=4)
    from citysoc.compliance import libraries

    libraries.load_all()
    codes = {d.code for d in duties.duties_in_force(dt.date(2023, 3, 1))}
    assert "share-information" not in codes and "annual-report" in codes
    assert duties.all_due(unit_a.systems.all(), dt.date(2023, 3, 1))
    assert "share-information" not in {
        d.duty.code for d in duties.all_due(unit_a.systems.all(), dt.date(2023, 3, 1))
    }


def test_decree_331_reports_run_from_19_august_2026_on_20_and_25_december(db, unit_a):
    factories.make_system(unit_a, name="Trang tin phường", level=1)
    before = _shipped_due(unit_a, dt.date(2026, 8, 1))
    assert "annual-report-units" not in before and "annual-report-owner" not in before
    after = _shipped_due(unit_a, dt.date(2026, 9, 1))
    assert after["annual-report-units"] == dt.date(2026, 12, 20)
    assert after["annual-report-owner"] == dt.date(2026, 12, 25)


def test_incident_clocks_are_data_and_are_not_reminded(db):
    from citysoc.compliance import libraries
    from citysoc.compliance.models import Duty

    libraries.load_all()
    nd331 = Duty.objects.get(code="incident-report")
    hours = {c["event"]: c["within_hours"] for c in nd331.clocks}
    assert hours == {"national-security-affected": 0, "serious": 24, "detected": 72}
    assert all("Điều 31 khoản 2 điểm d" in c["source"] for c in nd331.clocks)
    assert nd331.valid_from == dt.date(2026, 8, 19)
    tt20 = Duty.objects.get(code="incident-report-tt20")
    by_event = {c["event"]: c for c in tt20.clocks}
    assert by_event["detected"]["within_days"] == 5
    assert (by_event["beyond-own-capacity"]["form"], by_event["response-ended"]["form"]) == (
        "Mẫu 03",
        "Mẫu 04",
    )
    assert (by_event["half-year-summary"]["by"], by_event["year-summary"]["by"]) == (
        "06-20",
        "12-15",
    )
    # An event starts these clocks; the scheduler has nothing to remind on a date.
    in_force = {d.code for d in duties.duties_in_force(dt.date(2026, 9, 1))}
    assert "incident-report" not in in_force
