"""Ingesting a verified result: the verdict from the hits, the host's tasks moved."""

from __future__ import annotations

import pytest

from citysoc.intel.models import CleanupTask
from citysoc.sweep import ingesting
from citysoc.sweep.models import Agent
from citysoc.sweep.signatures import verify
from tests import factories
from tests.sweep import support

pytestmark = pytest.mark.django_db

WEBSHELL = {"check": "yara", "kind": "file", "score": 90, "title": "web shell", "path": "/x.php"}
NOTICE = {"check": "filenames", "kind": "file", "score": 50, "title": "odd name", "path": "/y"}


@pytest.fixture
def agent(unit_a):
    host = factories.make_host(unit_a, hostname="ketoan-02", ipv4="192.0.2.50")
    return Agent.objects.create(
        unit=unit_a, host=host, key="ag_t", secret="5" * 64, hostname=host.hostname
    )


def _ingest(agent, hits, **payload):
    return ingesting.ingest(verify(support.envelope(agent, hits, **payload)), via="online")[0]


def test_the_verdict_comes_from_the_hits_not_from_the_agents_word(agent):
    assert _ingest(agent, [WEBSHELL], verdict="clean").verdict == "infected"
    assert _ingest(agent, [NOTICE], verdict="infected").verdict == "suspicious"
    assert _ingest(agent, [], verdict="infected").verdict == "clean"


def test_a_host_behind_a_listed_nat_address_updates_the_task_tied_to_it(agent, unit_a):
    version = support.botnet_list()
    task = CleanupTask.objects.create(
        unit=unit_a, host=agent.host, ip="203.0.113.9", due_date="2024-02-01",
        opened_by_version=version, last_seen_version=version,
    )  # fmt: skip
    result = _ingest(agent, [WEBSHELL])
    assert list(result.tasks.all()) == [task]
    assert CleanupTask.objects.count() == 1
    task.refresh_from_db()
    assert task.times_listed == 2  # seen again, now by the sweep


def test_a_suspicious_host_opens_no_task(agent):
    _ingest(agent, [NOTICE])
    assert not CleanupTask.objects.exists()


def test_a_task_of_another_unit_with_the_same_address_is_never_touched(agent, unit_b):
    version = support.botnet_list()
    other = factories.make_host(unit_b, hostname="b-pc", ipv4="192.0.2.50")
    theirs = support.botnet_task(unit_b, other, version)
    result = _ingest(agent, [WEBSHELL])
    assert theirs not in result.tasks.all()
    assert CleanupTask.objects.filter(unit=agent.unit).count() == 1
    theirs.refresh_from_db()
    assert theirs.times_listed == 1


def test_the_sweeps_own_list_reads_in_vietnamese_on_the_lists_page(agent, client_as, city_admin):
    _ingest(agent, [WEBSHELL])
    client = client_as(city_admin)
    client.cookies["citysoc_language"] = "vi"
    page = client.get("/intel/").content.decode()
    assert "Hosts the sweep agent found infected" not in page
    assert "Các máy mà tác tử rà soát phát hiện nhiễm mã độc" in page
    assert "sweep sweep" not in page  # the version is named by its day, after the source
