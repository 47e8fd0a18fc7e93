"""The demo sweep: infected hosts on their tasks, a cleaned host verified, loaded once."""

from __future__ import annotations

import pytest

from citysoc.intel.models import CleanupTask
from citysoc.sweep import demo
from citysoc.sweep.models import Campaign, Result, RuleSet
from tests import factories
from tests.sweep import support

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once_through_the_signed_path(city, unit_a):
    version = support.botnet_list()
    hosts = [factories.make_host(unit_a, ipv4=f"192.0.2.{i}") for i in range(1, 13)]
    tasks = [support.botnet_task(unit_a, host, version) for host in hosts[:3]]
    demo.load()
    assert Result.objects.filter(verdict="infected", host=hosts[0]).get().tasks.count() == 1
    tasks[2].refresh_from_db()
    assert tasks[2].status == CleanupTask.Status.VERIFIED  # cleaned, then a clean sweep
    count = Result.objects.count()
    demo.load()
    assert Result.objects.count() == count
    assert Campaign.objects.count() == 1
    # The rule sets page shows how many rules each demo set holds.
    assert dict(RuleSet.objects.values_list("name", "rule_count")) == {
        "citysoc-builtin": 2,  # EICAR and the PHP web shell
        "city-filenames": 2,
    }
