"""The sweep on the work page: hosts on the botnet list to sweep, silent agents, infected hosts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from citysoc.core.models import Unit
from citysoc.sweep import work_items
from citysoc.sweep.models import Agent, Result
from tests import factories
from tests.sweep import support
from tests.sweep_worlds import sweep as world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def _items(unit):
    return list(work_items.items_for(Unit.objects.filter(pk=unit.pk), timezone.localdate()))


def _swept(host, agent, *, days_ago: int, verdict: str = "clean") -> Result:
    when = timezone.now() - dt.timedelta(days=days_ago)
    return Result.objects.create(
        unit=host.unit, agent=agent, host=host, via="online", body_sha256=f"r{days_ago}{verdict}",
        verdict=verdict, started_at=when, finished_at=when,
    )  # fmt: skip


def _agent(host, **extra) -> Agent:
    return Agent.objects.create(
        unit=host.unit, host=host, key=f"ag_{host.hostname}", secret="0" * 64,
        hostname=host.hostname, **extra,
    )  # fmt: skip


def test_a_host_on_the_botnet_list_never_swept_is_due_with_its_clean_up_task(unit_a):
    host = factories.make_host(unit_a, hostname="ke-toan-01", ipv4="192.0.2.10")
    task = support.botnet_task(unit_a, host, support.botnet_list())
    factories.make_host(unit_a, hostname="not-listed", ipv4="192.0.2.11")
    (item,) = _items(unit_a)
    assert item.kind == "not_swept" and "ke-toan-01" in item.title and "never swept" in item.title
    assert item.due == task.due_date
    assert item.url == f"/sweep/?unit={unit_a.code}#not-swept"


def test_a_listed_host_swept_this_week_is_not_due_but_one_swept_long_ago_is(unit_a):
    version = support.botnet_list()
    recent = factories.make_host(unit_a, hostname="recent", ipv4="192.0.2.10")
    old = factories.make_host(unit_a, hostname="old", ipv4="192.0.2.11")
    for host in (recent, old):
        support.botnet_task(unit_a, host, version)
    _swept(recent, _agent(recent, last_seen=timezone.now()), days_ago=1)
    _swept(old, _agent(old, last_seen=timezone.now()), days_ago=work_items.SWEEP_EVERY_DAYS + 3)
    (item,) = _items(unit_a)
    assert "old" in item.title and "not swept since" in item.title


def test_an_infected_host_is_listed_once_with_its_evidence(unit_a):
    host = factories.make_host(unit_a, hostname="web-01", ipv4="192.0.2.10")
    support.botnet_task(unit_a, host, support.botnet_list())
    agent = _agent(host, last_seen=timezone.now())
    result = _swept(host, agent, days_ago=20, verdict="infected")
    (item,) = _items(unit_a)
    assert item.kind == "infected" and item.severity == "critical"
    assert item.url == f"/sweep/sweep-results/{result.pk}/"
    _swept(host, agent, days_ago=0, verdict="clean")
    assert _items(unit_a) == []


def test_a_silent_agent_is_overdue_and_an_offline_one_is_not(unit_a):
    long_ago = timezone.now() - dt.timedelta(days=3)
    _agent(factories.make_host(unit_a, hostname="silent-pc"), last_seen=long_ago)
    _agent(
        factories.make_host(unit_a, hostname="air-gapped"),
        last_seen=long_ago,
        status=Agent.Status.OFFLINE,
    )
    (item,) = _items(unit_a)
    assert item.kind == "silent_agent" and "silent-pc" in item.title
    assert item.is_overdue(timezone.localdate())


def test_the_ward_sees_only_its_own_sweep_work_and_the_city_sees_both(
    client_as, unit_a, unit_b, officer_a, city_admin
):
    world.build(unit_a, officer_a, "A", "192.0.2")
    world.build(unit_b, None, "B", "198.51.100")
    ward = client_as(officer_a).get("/work/").content.decode()
    assert "mark-a-pc" in ward and "mark-b-pc" not in ward
    assert 'data-area="sweep"' in ward
    city = client_as(city_admin).get("/work/").content.decode()
    assert "mark-a-pc" in city and "mark-b-pc" in city
