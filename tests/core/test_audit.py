from django.db import connection

from citysoc.core import audit
from citysoc.core.models import AuditEntry
from tests.factories import make_host


def test_it_records_who_created_changed_and_deleted_a_host(unit_a, officer_a):
    with audit.acting_as(officer_a, via="web"):
        host = make_host(unit_a, hostname="pc-01", ipv4="10.1.0.5")
        host.os = "Windows 11"
        host.save()
        host.delete()
    entries = list(AuditEntry.objects.filter(model="inventory.host").order_by("id"))
    assert [e.action for e in entries] == ["create", "update", "delete"]
    assert {e.actor for e in entries} == {officer_a}
    assert entries[0].changes["after"]["ipv4"] == "10.1.0.5"
    assert entries[1].changes == {"before": {"os": ""}, "after": {"os": "Windows 11"}}
    assert entries[2].changes["before"]["hostname"] == "pc-01"
    assert all(e.unit == unit_a for e in entries)


def test_a_save_without_changes_writes_no_entry(unit_a):
    host = make_host(unit_a, hostname="pc-02")
    before = AuditEntry.objects.count()
    host.save()
    assert AuditEntry.objects.count() == before


def test_changes_outside_a_request_are_attributed_to_the_system(unit_a):
    make_host(unit_a, hostname="pc-03")
    entry = AuditEntry.objects.filter(model="inventory.host").get()
    assert entry.actor is None
    assert entry.actor_label == "system"


def test_a_failed_login_is_recorded(client, officer_a):
    client.post("/accounts/login/", {"username": "officer_a", "password": "wrong"})
    entry = AuditEntry.objects.get(action="login_failed")
    assert entry.actor_label == "officer_a"


def test_entries_of_another_unit_are_invisible(unit_a, unit_b, officer_a):
    make_host(unit_b, hostname="b-pc")
    assert not AuditEntry.objects.visible_to(officer_a).filter(object_repr="b-pc").exists()


def test_deleting_a_unit_records_it_without_naming_the_unit_that_is_gone(sub_unit_a, officer_a):
    code = sub_unit_a.code
    with audit.acting_as(officer_a, via="web"):
        sub_unit_a.delete()
    connection.check_constraints()  # as the commit would: no entry points at a missing unit
    entry = AuditEntry.objects.get(model="core.unit", action="delete")
    assert entry.unit is None
    assert entry.changes["before"]["code"] == code
    assert entry.actor == officer_a
