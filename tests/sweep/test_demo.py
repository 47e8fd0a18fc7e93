"""The demo sweep: infected hosts on their tasks, a cleaned host verified, loaded once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from citysoc.intel.models import CleanupTask
from citysoc.sweep import demo
from citysoc.sweep.models import Campaign, Result
from tests import factories
from tests.sweep import support

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once_through_the_signed_path(city, unit_a):
    version = support.botnet_list()
    hosts = [factories.make_host(unit_a, ipv4=f"192.0.2.{i}") for i in range(1, 13)]
    support.botnet_task(unit_a, hosts[0], version)
    cleaned = support.botnet_task(unit_a, hosts[1], version)
    cleaned.status = CleanupTask.Status.CLEANED
    cleaned.cleaned_at = timezone.now() - dt.timedelta(days=1)
    cleaned.save()
    demo.load()
    assert Result.objects.filter(verdict="infected", host=hosts[0]).get().tasks.count() == 1
    cleaned.refresh_from_db()
    assert cleaned.status == CleanupTask.Status.VERIFIED
    count = Result.objects.count()
    demo.load()
    assert Result.objects.count() == count
    assert Campaign.objects.count() == 1
