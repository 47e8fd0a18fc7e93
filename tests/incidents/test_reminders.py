"""Reminders through the outbox: late reports and due playbook tasks, once a day per unit."""

from __future__ import annotations

import pytest
import time_machine

from citysoc.incidents import opening, playbooks, reminders
from citysoc.notify.models import Message
from tests.incidents.support import local

pytestmark = pytest.mark.django_db


def test_a_late_report_and_due_tasks_are_reminded_once_a_day(libraries, officer_a, unit_a):
    case = opening.open_by_hand(unit_a, by=officer_a, title="Mã độc ở một cửa", severity="high",
                                kind="malware", detected_at=local(2026, 9, 1, 8))  # fmt: skip
    playbooks.apply(case, by=officer_a, now=local(2026, 9, 1, 8))
    with time_machine.travel(local(2026, 9, 5, 9), tick=False):
        assert reminders.remind() == 1 + 5  # the 72-hour report and five tasks due (of six)
        assert reminders.remind() == 1  # the tasks were told today; the digest is not re-queued
    late = Message.objects.get(topic=reminders.TOPIC)
    assert "Mã độc ở một cửa" in late.body and "NĐ 331/2026" in late.body
    assert Message.objects.filter(topic=reminders.TOPIC).count() == 1
    tasks = Message.objects.get(topic=playbooks.TOPIC)
    assert tasks.body.count("\n") == 4
