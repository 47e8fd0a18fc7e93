"""A silent agent raises one alert through the intake; hearing it again resolves it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from citysoc.alerts.models import Alert
from citysoc.sweep import heartbeats
from citysoc.sweep.models import Agent
from tests.sweep_worlds import sweep as world

pytestmark = pytest.mark.django_db


def test_an_agent_silent_for_a_day_raises_one_alert_and_is_resolved_when_heard(unit_a, officer_a):
    world.build(unit_a, officer_a, "A", "192.0.2")
    Agent.objects.update(last_seen=timezone.now() - dt.timedelta(hours=25))
    assert heartbeats.check_silent() == 1
    assert heartbeats.check_silent() == 0  # told once
    alert = Alert.objects.get()
    assert alert.unit == unit_a and "mark-a-pc" in alert.summary
    heartbeats.heard(Agent.objects.get())
    alert.refresh_from_db()
    assert alert.status == "resolved"


def test_offline_and_recent_agents_are_never_silent(unit_a, officer_a):
    world.build(unit_a, officer_a, "A", "192.0.2")
    assert heartbeats.check_silent() == 0
    Agent.objects.update(
        status=Agent.Status.OFFLINE, last_seen=timezone.now() - dt.timedelta(days=9)
    )
    assert heartbeats.check_silent() == 0
