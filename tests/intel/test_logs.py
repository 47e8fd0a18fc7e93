"""Logs against lists: a unit's log shows an internal host talking to a listed C2 address."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django_tasks_db.models import DBTaskResult

from citysoc.intel import logscan
from citysoc.intel.models import CleanupTask, LogScan, LogUpload, Sighting
from tests import factories
from tests.intel.support import import_text

pytestmark = pytest.mark.django_db

ZEEK = """#separator \\x09
#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto
1704070800.000000\tC1\t10.1.0.5\t51000\t192.0.2.50\t443\ttcp
1704070860.000000\tC2\t10.1.0.5\t51001\t192.0.2.50\t443\ttcp
1704070900.000000\tC3\t10.1.0.6\t51002\t198.51.100.99\t80\ttcp
1704070950.000000\tC4\t10.1.0.7\t51003\t192.0.2.50\t443\ttcp
"""


def upload(unit, text: str = ZEEK, name: str = "conn.log") -> LogUpload:
    log = LogUpload(unit=unit, filename=name, size=len(text))
    log.file.save(name, ContentFile(text.encode()), save=True)
    return log


@pytest.fixture
def hosts(unit_a, unit_b):
    factories.make_range(unit_a, "10.1.0.0/24", scope="private")
    a = factories.make_host(unit_a, hostname="pc-05", ipv4="10.1.0.5")
    # Unit B uses the same private addresses: a log of unit A must not land on B.
    factories.make_host(unit_b, hostname="b-pc-05", ipv4="10.1.0.5")
    return a


def test_log_contacts_become_sightings_of_the_uploading_unit(hosts, unit_a, unit_b):
    version, _ = import_text("192.0.2.50\n", source="Feodo C2")
    log = upload(unit_a)
    result = logscan.scan(log)
    log.refresh_from_db()
    assert log.status == LogUpload.Status.DONE
    assert log.records == 4
    assert result.hosts == 2
    found = {s.ip: s for s in Sighting.objects.filter(via=Sighting.Via.LOG)}
    assert set(found) == {"10.1.0.5", "10.1.0.7"}
    assert found["10.1.0.5"].unit == unit_a
    assert found["10.1.0.5"].host == hosts
    assert found["10.1.0.5"].count == 2
    assert found["10.1.0.5"].remote == "192.0.2.50"
    assert [e["line"] for e in found["10.1.0.5"].evidence] == [3, 4]
    assert found["10.1.0.7"].host is None  # not registered: the uploading unit's
    assert not Sighting.objects.filter(unit=unit_b).exists()
    assert CleanupTask.objects.filter(unit=unit_a, ip="10.1.0.5").exists()


def test_retro_hunt_runs_a_new_version_against_kept_logs(hosts, unit_a):
    import_text("203.0.113.200\n", source="Feodo C2", period="2024-01")
    log = upload(unit_a)
    logscan.scan(log)
    assert not Sighting.objects.filter(via=Sighting.Via.LOG).exists()
    newer, _ = import_text("198.51.100.99\n", source="Feodo C2", period="2024-02")
    # The import queued the retro-hunt of the kept log for the worker.
    queued = [r.args_kwargs for r in DBTaskResult.objects.filter(task_path__endswith="scan_log")]
    assert {"args": [log.pk, [newer.pk]], "kwargs": {}} in queued
    assert logscan.retro_hunt(newer) == [log.pk]
    logscan.scan(log, [newer])
    assert Sighting.objects.filter(via=Sighting.Via.LOG, ip="10.1.0.6").exists()
    assert LogScan.objects.filter(log=log).count() == 2
    assert logscan.retro_hunt(newer) == []  # done once


def test_private_addresses_on_a_national_list_are_not_attributed(hosts, unit_a):
    version, result = import_text("10.1.0.5\n", source="VNCERT botnet")
    assert result.indicators == 1
    assert result.sightings == 0
    assert version.meta["local_addresses"] == 1


def test_cleaned_host_seen_in_logs_after_cleaning_is_reopened(hosts, unit_a, officer_a):
    from citysoc.intel import cleanup

    import_text("192.0.2.50\n", source="Feodo C2", period="2024-01")
    logscan.scan(upload(unit_a))
    task = CleanupTask.objects.get(ip="10.1.0.5")
    cleanup.report_cleaned(task, user=officer_a, tool="ClamAV", findings="Emotet removed")
    # An old log (before the cleaning) changes nothing…
    logscan.scan(upload(unit_a, name="old.log"))
    task.refresh_from_db()
    assert task.status == CleanupTask.Status.CLEANED
    # …a log from after the cleaning that still shows the contact reopens the task.
    later = ZEEK.replace("1704070800.000000", "4102444800.000000")
    logscan.scan(upload(unit_a, later, name="later.log"))
    task.refresh_from_db()
    assert task.status == CleanupTask.Status.REOPENED
    assert task.reopened_count == 1
