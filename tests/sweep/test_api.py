"""`/api/agents/`, `/api/sweeps/`, `/api/sweep-results/`: unit scoped, campaigns queue jobs."""

from __future__ import annotations

import pytest

from citysoc.sweep.models import Job
from tests import factories
from tests.sweep_worlds import sweep as world

pytestmark = pytest.mark.django_db


@pytest.fixture
def wards(unit_a, unit_b, officer_a, officer_b):
    return world.build(unit_a, officer_a, "A", "192.0.2"), world.build(
        unit_b, officer_b, "B", "198.51.100"
    )


def test_each_ward_lists_only_its_own_agents_and_results(client_as, officer_a, wards):
    api = client_as(officer_a)
    agents = api.get("/api/agents/").json()["results"]
    assert [a["hostname"] for a in agents] == ["mark-a-pc"]
    assert "secret" not in agents[0]
    results = api.get("/api/sweep-results/?verdict=infected").json()["results"]
    assert [(r["host"], r["hits"][0]["title"]) for r in results] == [
        ("mark-a-pc", "MARK-A webshell")
    ]
    assert api.get(f"/api/sweep-results/{wards[1]['sweepresult']}/").status_code == 404


def test_a_campaign_queues_hosts_with_open_botnet_tasks_first(client_as, officer_a, unit_a, wards):
    from tests.sweep import support

    other = factories.make_host(unit_a, hostname="pc-2", ipv4="192.0.2.41")
    from citysoc.sweep.models import Agent

    agent = Agent.objects.create(
        unit=unit_a, host=other, key="ag_2", secret="1" * 64, hostname="pc-2"
    )
    support.botnet_task(unit_a, other, support.botnet_list())
    response = client_as(officer_a).post(
        "/api/sweeps/", {"unit": unit_a.code, "name": "Tết"}, content_type="application/json"
    )
    assert response.status_code == 201
    jobs = list(Job.objects.filter(campaign_id=response.json()["id"]).order_by("priority", "id"))
    assert [j.agent for j in jobs][0] == agent
    assert len(jobs) == 2


def test_a_campaign_for_another_unit_is_refused(client_as, officer_a, unit_b, wards):
    response = client_as(officer_a).post(
        "/api/sweeps/", {"unit": unit_b.code, "name": "x"}, content_type="application/json"
    )
    assert response.status_code == 404
