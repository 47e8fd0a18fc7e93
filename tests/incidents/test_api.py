"""/api/incidents/: tasks, observables, reports and report_due, scoped to the user's units."""

from __future__ import annotations

import pytest
import time_machine

from citysoc.incidents import observables, opening, playbooks
from tests.incidents.support import local

pytestmark = pytest.mark.django_db


def test_the_api_gives_report_due_tasks_observables_and_reports(
    client, officer_a, officer_b, unit_a, libraries
):
    incident = opening.open_by_hand(unit_a, by=officer_a, title="DDoS", severity="high",
                                    kind="dos", detected_at=local(2026, 9, 1, 8))  # fmt: skip
    observables.add(incident, "203.0.113.50")
    playbooks.apply(incident, by=officer_a)
    with time_machine.travel(local(2026, 9, 2, 8), tick=False):
        client.force_login(officer_a)
        (row,) = client.get("/api/incidents/?open=true").json()["results"]
    assert row["report_due"].startswith("2026-09-04T01:00")  # 72 h under NĐ 331 (in UTC)
    assert row["overdue"] is False and row["unit"] == unit_a.code
    assert row["observables"][0]["value"] == "203.0.113.50"
    assert len(row["tasks"]) == 6 and row["reports"] == []
    client.force_login(officer_a)  # a fresh session back at today's date
    assert client.get("/api/incidents/?observable=203.0.113.50").json()["count"] == 1
    client.force_login(officer_b)
    assert client.get("/api/incidents/").json()["count"] == 0
    assert client.get(f"/api/incidents/{incident.pk}/").status_code == 404
