"""Reaching people: each person's own channels, an e-mail channel made once, the rest named."""

from __future__ import annotations

from citysoc.core.models import Person
from citysoc.notify.models import Channel
from citysoc.notify.people import channels_for


def _person(unit, name, **extra):
    return Person.objects.create(unit=unit, full_name=name, role="operator", **extra)


def test_a_person_with_channels_is_reached_through_the_enabled_ones(db, unit_a):
    lan = _person(unit_a, "Trần Thị Lan", email="lan@x.vn")
    telegram = Channel.objects.create(
        unit=unit_a, person=lan, kind="telegram", name="Lan", config={"chat_id": "42"}
    )
    Channel.objects.create(unit=unit_a, person=lan, kind="sms_http", name="Lan SMS", enabled=False)
    channels, unreachable = channels_for([lan])
    assert (channels, unreachable) == ([telegram], [])
    assert not Channel.objects.filter(person=lan, kind="email").exists()


def test_a_person_with_only_an_email_gets_one_personal_email_channel(db, unit_a):
    hung = _person(unit_a, "Lê Văn Hùng", email="hung@x.vn")
    (first,), _ = channels_for([hung])
    (again,), _ = channels_for([hung, hung])
    assert first.pk == again.pk
    assert (first.kind, first.unit, first.person, first.recipients()) == (
        "email",
        unit_a,
        hung,
        ["hung@x.vn"],
    )
    assert "Lê Văn Hùng" in first.name
    assert Channel.objects.filter(person=hung).count() == 1


def test_people_with_no_way_to_reach_them_are_reported(db, unit_a):
    nobody = _person(unit_a, "Không liên lạc")
    switched_off = _person(unit_a, "Hộp thư lỗi", email="bad@x.vn")
    channels_for([switched_off])
    Channel.objects.filter(person=switched_off).update(enabled=False, disabled_reason="550")
    reachable = _person(unit_a, "Có thư", email="ok@x.vn")
    channels, unreachable = channels_for([nobody, switched_off, reachable])
    assert [c.person for c in channels] == [reachable]
    assert unreachable == [nobody, switched_off]
