"""A list version imported end to end: rows kept or rejected, sightings per unit, tasks."""

from __future__ import annotations

import pytest

from citysoc.intel.models import CleanupTask, Indicator, ListVersion, Sighting
from tests import factories
from tests.intel.support import import_text

pytestmark = pytest.mark.django_db

LIST = """# botnet list, January
198.51.100.10
198.51.100.20 # mirai
203.0.113.5
100.64.1.1
300.1.1.1
192.0.2.1
198.51.100.10
"""


@pytest.fixture
def plan(unit_a, unit_b, isp):
    factories.make_range(unit_a, "198.51.100.0/26")
    host = factories.make_host(unit_a, hostname="ketoan-01", ipv4="198.51.100.10")
    factories.make_range(unit_b, "203.0.113.0/28")
    factories.make_range(isp, "100.64.0.0/16")
    return {"host": host}


def listed(version, unit) -> set[str]:
    return set(Sighting.objects.filter(version=version, unit=unit).values_list("ip", flat=True))


def test_every_row_is_kept_or_rejected_with_its_line(plan):
    version, result = import_text(LIST)
    assert version.status == ListVersion.Status.DONE
    assert result.rows == 7
    assert result.indicators == 6
    assert result.rejected == [
        {"row": 6, "reason": result.rejected[0]["reason"]},
    ]
    assert "300.1.1.1" in version.rejected[0]["value"]
    assert result.indicators + len(result.rejected) == result.rows
    assert Indicator.objects.filter(version=version).count() == 6


def test_listed_addresses_become_sightings_of_the_most_specific_owner(plan, unit_a, unit_b, isp):
    version, result = import_text(LIST)
    assert listed(version, unit_a) == {"198.51.100.10", "198.51.100.20"}
    assert listed(version, unit_b) == {"203.0.113.5"}
    assert listed(version, isp) == {"100.64.1.1"}
    host_sighting = Sighting.objects.get(version=version, ip="198.51.100.10")
    assert host_sighting.host == plan["host"]
    assert host_sighting.count == 2  # listed twice in the file
    assert not Sighting.objects.get(version=version, ip="100.64.1.1").attributed
    assert Sighting.objects.get(version=version, ip="198.51.100.20").attributed
    assert result.sightings == 4
    assert result.tasks_opened == 4


def test_the_same_file_twice_is_one_version(plan):
    first, _ = import_text(LIST)
    again, result = import_text(LIST)
    assert again.pk == first.pk
    assert result.duplicate
    assert result.tasks_opened == 0
    assert Sighting.objects.count() == 4
    assert CleanupTask.objects.count() == 4


def test_tasks_are_prioritised_and_due(plan, unit_a):
    system = factories.make_system(unit_a, level=4)
    plan["host"].systems.add(system)
    plan["host"].criticality = "critical"
    plan["host"].save()
    import_text(LIST)
    on_host = CleanupTask.objects.get(ip="198.51.100.10")
    plain = CleanupTask.objects.get(ip="203.0.113.5")
    assert on_host.priority < plain.priority
    assert "4" in on_host.priority_reason
    # The host's criticality in words, in the hub's language (not its code "critical").
    assert "mức độ quan trọng của máy: rất cao" in on_host.priority_reason
    assert on_host.due_date < plain.due_date
    assert on_host.host == plan["host"]


def test_two_versions_give_new_still_and_delisted(plan, unit_a):
    from citysoc.intel import compare

    import_text("198.51.100.10\n198.51.100.20\n", period="2024-01")
    second, _ = import_text("198.51.100.20\n198.51.100.30\n", period="2024-02")
    changes = {c.unit_code: c for c in compare.compare(second)}
    change = changes[unit_a.code]
    assert change.new == ["198.51.100.30"]
    assert change.still == ["198.51.100.20"]
    assert change.delisted == ["198.51.100.10"]


def test_cleaned_task_is_verified_by_a_clean_list_and_reopened_by_a_dirty_one(
    plan, unit_a, officer_a
):
    from citysoc.intel import cleanup

    import_text("198.51.100.10\n198.51.100.20\n", period="2024-01")
    t10 = CleanupTask.objects.get(ip="198.51.100.10")
    t20 = CleanupTask.objects.get(ip="198.51.100.20")
    cleanup.report_cleaned(t10, user=officer_a, tool="Kaspersky", findings="Trojan removed")
    cleanup.report_cleaned(t20, user=officer_a, tool="Kaspersky", findings="Mirai removed")
    _, result = import_text("198.51.100.20\n", period="2024-02")
    t10.refresh_from_db()
    t20.refresh_from_db()
    assert t10.status == CleanupTask.Status.VERIFIED
    assert t10.verified_by_version.period == "2024-02"
    assert t20.status == CleanupTask.Status.REOPENED
    assert t20.reopened_count == 1
    assert result.tasks_verified == 1
    assert result.tasks_reopened == 1


def test_an_open_task_is_not_verified_just_because_the_list_dropped_it(plan):
    import_text("198.51.100.10\n", period="2024-01")
    import_text("192.0.2.1\n", period="2024-02")
    assert CleanupTask.objects.get(ip="198.51.100.10").status == CleanupTask.Status.OPEN


def test_reference_lists_open_no_tasks(plan):
    from citysoc.intel import importing

    importing.source_named("Spamhaus DROP")
    from citysoc.intel.models import IndicatorSource

    IndicatorSource.objects.filter(name="Spamhaus DROP").update(opens_tasks=False)
    version, result = import_text("198.51.100.0/24 ; SBL1\n", source="Spamhaus DROP")
    assert result.sightings >= 1
    assert result.tasks_opened == 0
    assert not CleanupTask.objects.exists()


def test_units_are_told_by_email(plan, officer_a, mailoutbox):
    from citysoc.notify import outbox

    import_text(LIST)
    outbox.send_due()
    to_a = [m for m in mailoutbox if officer_a.email in m.to]
    assert len(to_a) == 1
    assert "198.51.100.10" in to_a[0].body
    assert "203.0.113.5" not in to_a[0].body  # unit B's address goes to unit B only


def test_a_unit_with_a_channel_is_told_through_the_outbox(plan, unit_a, officer_a, mailoutbox):
    from citysoc.notify import outbox
    from citysoc.notify.models import Channel, Delivery

    Channel.objects.create(
        unit=unit_a, kind="email", name="Trực ban", config={"addresses": ["truc@a.example"]}
    )
    import_text(LIST)
    delivery = Delivery.objects.get(channel__unit=unit_a)
    assert delivery.recipient == "truc@a.example"
    assert "198.51.100.10" in delivery.message.body
    # Unit A is told only through its channel; unit B (no channel) by its officers' e-mail.
    assert not Delivery.objects.filter(recipient=officer_a.email).exists()
    assert CleanupTask.objects.filter(unit=unit_a, notified_at__isnull=False).count() == 2
    outbox.send_due()
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert [m.to for m in mailoutbox if "truc@a.example" in m.to] == [["truc@a.example"]]
    # The same list again changes nothing: no second message.
    before = Delivery.objects.count()
    import_text(LIST)
    assert Delivery.objects.count() == before
