"""Report deadlines from the rules in force on the detection day, with the clock moved."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from citysoc.alerts.models import Incident
from citysoc.incidents import deadlines, opening
from citysoc.incidents.models import Report
from tests import factories
from tests.incidents.support import local

pytestmark = pytest.mark.django_db


def _case(unit, when, **fields) -> Incident:
    with time_machine.travel(when, tick=False):
        return opening.open_by_hand(unit, by=None, title="Sự cố", severity="high",
                                    detected_at=when, **fields)  # fmt: skip


def test_under_tt20_a_case_owes_a_notice_within_five_days(libraries, unit_a):
    incident = _case(unit_a, local(2025, 3, 10, 9))
    (notice,) = deadlines.deadlines_for(incident)
    assert notice.due_at == local(2025, 3, 15, 9)
    assert "TT 20/2017" in notice.source and "VNCERT" in notice.to
    with time_machine.travel(local(2025, 3, 16, 9), tick=False):
        assert deadlines.is_overdue(incident)
    Report.objects.create(unit=unit_a, incident=incident, form="notice", sent_at=local(2025, 3, 14))
    assert deadlines.report_due(incident) is None
    with time_machine.travel(local(2025, 3, 16, 9), tick=False):
        assert not deadlines.is_overdue(incident)


def test_under_tt20_beyond_capacity_owes_mau_03_at_once_and_mau_04_after_the_response(
    libraries, unit_a
):
    incident = _case(unit_a, local(2025, 3, 10, 9), beyond_capacity=True)
    forms = {d.form: d for d in deadlines.deadlines_for(incident)}
    assert forms["Mẫu 03"].immediately and forms["Mẫu 03"].due_at == local(2025, 3, 10, 9)
    assert "Mẫu 04" not in forms  # no clock before the response ends
    incident.response_ended_at = local(2025, 3, 20, 17)
    forms = {d.form: d for d in deadlines.deadlines_for(incident)}
    assert forms["Mẫu 04"].due_at == local(2025, 3, 25, 17)


def test_under_nd331_a_serious_case_owes_24_hours_and_72_hours(libraries, unit_a):
    system = factories.make_system(unit_a, name="Cổng dịch vụ công", level=4)
    incident = _case(
        unit_a, local(2026, 9, 1, 8), beyond_capacity=True, serious_criteria=["disruption"]
    )
    opening.add_system(incident, system)
    assert deadlines.is_serious(incident)
    due = {d.event: d.due_at for d in deadlines.deadlines_for(incident)}
    assert due == {"serious": local(2026, 9, 2, 8), "detected": local(2026, 9, 4, 8)}
    assert deadlines.report_due(incident) == local(2026, 9, 2, 8)
    with time_machine.travel(local(2026, 9, 2, 9), tick=False):
        assert deadlines.is_overdue(incident)


def test_under_nd331_national_security_is_due_immediately_and_a_plain_case_in_72_hours(
    libraries, unit_a
):
    plain = _case(unit_a, local(2026, 10, 1, 8))
    assert [d.due_at for d in deadlines.deadlines_for(plain)] == [local(2026, 10, 4, 8)]
    urgent = _case(unit_a, local(2026, 10, 1, 8), national_security=True)
    first = deadlines.deadlines_for(urgent)[0]
    assert first.immediately and first.due_at == local(2026, 10, 1, 8)
    assert "Bộ Công an" in first.to


def test_a_case_detected_between_the_two_regimes_owes_no_dated_report(libraries, unit_a):
    # Law 116/2025 is in force from 01/07/2026, NĐ 331 from 19/08/2026: no clock between.
    assert deadlines.deadlines_for(_case(unit_a, local(2026, 7, 20))) == []


def test_summaries_are_due_before_20_june_and_15_december_under_tt20(libraries):
    due = deadlines.summaries_due(dt.date(2025, 6, 1))
    assert [(s.due_on, s.form) for s in due] == [
        (dt.date(2025, 6, 20), "Mẫu 05"),
        (dt.date(2025, 12, 15), "Mẫu 05"),
    ]
    assert deadlines.summaries_due(dt.date(2026, 9, 1)) == []
