"""The demo city's incidents: one open with a late report, one closed with its reports."""

from __future__ import annotations

import pytest

from citysoc.alerts.models import Incident
from citysoc.core import demo
from citysoc.incidents import deadlines
from citysoc.incidents import demo as incidents_demo

pytestmark = pytest.mark.django_db


def test_the_demo_has_open_and_closed_cases_with_reports_and_reruns_cleanly():
    demo.load()
    open_case = Incident.objects.get(title=incidents_demo.OPEN_TITLE)
    closed = Incident.objects.get(title=incidents_demo.CLOSED_TITLE)
    assert open_case.closed_at is None and open_case.tasks.filter(done_at=None).exists()
    assert closed.closed_at and {r.form for r in closed.reports.exclude(sent_at=None)} == {
        "03",
        "04",
    }
    assert deadlines.is_overdue(open_case)  # the notification was made but never sent
    assert not deadlines.is_overdue(closed)
    count = Incident.objects.count()
    incidents_demo.load()
    assert Incident.objects.count() == count
