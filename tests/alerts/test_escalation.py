"""Escalation: steps in order with the clock moved forward, repeats, acknowledgement,
low urgency at night, re-runs without duplicates, storms grouped, maintenance."""

from __future__ import annotations

import datetime as dt
from email.header import decode_header, make_header
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from citysoc.alerts import escalation, intake
from citysoc.alerts.models import (
    Alert,
    AlertEvent,
    AlertLog,
    AlertSource,
    EscalationPolicy,
    EscalationStep,
    MaintenanceWindow,
)
from citysoc.alerts.sources.base import Event
from citysoc.notify import outbox
from citysoc.notify.models import Channel, Delivery, Message

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
MORNING = dt.datetime(2025, 3, 4, 9, 0, tzinfo=HCM)
MINUTE = dt.timedelta(minutes=1)


def event(key: str = "disk-full", summary: str = "", severity: str = "high") -> Event:
    return Event(
        action="trigger",
        dedup_key=key,
        severity=severity,
        source="generic",
        summary=summary or f"Disk full on {key}",
        details={"disk": "/var", "used": "98%"},
        occurred_at=timezone.now(),
    )


@pytest.fixture
def policy(db):
    return escalation.default_policy()


@pytest.fixture
def source(unit_a, policy):
    return AlertSource.objects.create(unit=unit_a, kind="generic", name="Zabbix phường")


@pytest.fixture
def people(officer_a, city_admin):
    """Ward A's administrator and the city administrator, reached by e-mail."""
    return {"ward": officer_a.email, "city": city_admin.email}


def recipients() -> list[list[str]]:
    """Who each escalation message went to, oldest first."""
    return [
        sorted(m.deliveries.values_list("recipient", flat=True))
        for m in Message.objects.filter(topic=escalation.TOPIC).order_by("pk")
    ]


def one_alert(source, key="disk-full", **kwargs) -> Alert:
    result = intake.ingest(source, [event(key, **kwargs)])
    return Alert.objects.get(pk=result.alert_ids[0])


def test_the_default_policy_is_on_duty_then_admins_then_city_twice_more(policy):
    steps = list(policy.steps.order_by("position").values_list("target", "wait_minutes"))
    assert steps == [("on_duty", 10), ("unit_admins", 15), ("city_duty", 15)]
    assert (policy.unit, policy.is_default, policy.repeat) == (None, True, 2)
    assert escalation.default_policy() == policy  # made once


def test_steps_run_in_order_repeat_and_stop(source, people):
    with time_machine.travel(MORNING, tick=False) as clock:
        alert = one_alert(source)
        assert alert.escalation_policy is not None
        escalation.run_due()
        # Nobody is on duty in ward A: its administrator is told, and the timeline says why.
        assert recipients() == [[people["ward"]]]
        first = AlertLog.objects.get(alert=alert, kind=AlertLog.Kind.NOTIFIED)
        assert first.message is not None and "Officer_A" in first.text

        clock.shift(9 * MINUTE)
        escalation.run_due()
        assert len(recipients()) == 1  # the 10 minutes are not over

        clock.shift(MINUTE)  # +10: step 2, the unit's administrators
        escalation.run_due()
        clock.shift(15 * MINUTE)  # +25: step 3, the city duty officer
        escalation.run_due()
        assert recipients() == [[people["ward"]], [people["ward"]], [people["city"]]]

        # Two more rounds, each step after its wait, then it stops.
        for _round in range(2):
            for wait in (15, 10, 15):
                clock.shift(wait * MINUTE)
                escalation.run_due()
        assert len(recipients()) == 9
        alert.refresh_from_db()
        assert alert.next_escalation_at is None
        assert alert.log.filter(kind=AlertLog.Kind.ESCALATED, message__isnull=True).exists()

        clock.shift(dt.timedelta(hours=3))
        escalation.run_due()
        assert len(recipients()) == 9


def test_the_message_names_the_alert_and_carries_signed_links(source, people, settings):
    settings.SITE_URL = "https://soc.example.gov.vn"
    with time_machine.travel(MORNING, tick=False):
        alert = one_alert(source, summary="Ổ đĩa đầy trên máy chủ một cửa")
        escalation.run_due()
    message = Message.objects.get(topic=escalation.TOPIC)
    assert "Ổ đĩa đầy trên máy chủ một cửa" in message.subject
    assert "Phường Bắc Sơn" in message.subject
    assert f"https://soc.example.gov.vn/alerts/{alert.pk}/" in message.body
    assert message.body.count("https://soc.example.gov.vn/alerts/link/") == 2
    assert "98%" in message.body


def test_acknowledging_mid_way_stops_the_escalation(source, people):
    with time_machine.travel(MORNING, tick=False) as clock:
        alert = one_alert(source)
        escalation.run_due()
        clock.shift(10 * MINUTE)
        escalation.run_due()
        assert len(recipients()) == 2
        assert intake.acknowledge(alert, by="Officer_A")
        for _ in range(12):
            clock.shift(10 * MINUTE)
            escalation.run_due()
    assert len(recipients()) == 2
    alert.refresh_from_db()
    assert (alert.status, alert.next_escalation_at) == ("acknowledged", None)


def test_low_urgency_waits_for_the_morning(source, people):
    source.urgency = "low"
    source.save()
    night = dt.datetime(2025, 3, 4, 23, 0, tzinfo=HCM)
    with time_machine.travel(night, tick=False) as clock:
        alert = one_alert(source)
        escalation.run_due()
        assert len(recipients()) == 1  # the first step still tells the unit
        alert.refresh_from_db()
        assert alert.next_escalation_at == dt.datetime(2025, 3, 5, 7, 0, tzinfo=HCM)
        clock.move_to(dt.datetime(2025, 3, 5, 6, 59, tzinfo=HCM))
        escalation.run_due()
        assert len(recipients()) == 1
        clock.move_to(dt.datetime(2025, 3, 5, 7, 0, tzinfo=HCM))
        escalation.run_due()
        assert len(recipients()) == 2


def test_high_urgency_escalates_at_night(source, people):
    night = dt.datetime(2025, 3, 4, 23, 0, tzinfo=HCM)
    with time_machine.travel(night, tick=False) as clock:
        one_alert(source)
        escalation.run_due()
        clock.shift(10 * MINUTE)
        escalation.run_due()
    assert len(recipients()) == 2


def test_a_second_run_that_read_the_same_alerts_sends_nothing(source, people):
    with time_machine.travel(MORNING, tick=False):
        one_alert(source)
        stale = escalation.due_alerts(timezone.now())  # what a second worker read
        escalation.run_due()
        counts = escalation.escalate(stale, now=timezone.now())
    assert counts["skipped"] == 1
    assert len(recipients()) == 1
    assert AlertLog.objects.filter(kind=AlertLog.Kind.NOTIFIED).count() == 1


def test_a_step_run_again_after_a_crash_is_not_sent_twice(source, people):
    with time_machine.travel(MORNING, tick=False):
        alert = one_alert(source)
        escalation.run_due()
        # The message is in the outbox but the alert's state is as before the step (a
        # restore, or a worker stopped between two writes): the step runs again.
        Alert.objects.filter(pk=alert.pk).update(
            escalation_step=0, escalation_round=0, next_escalation_at=timezone.now()
        )
        escalation.run_due()
    assert len(recipients()) == 1
    assert Delivery.objects.count() == 1
    assert AlertLog.objects.filter(alert=alert, kind=AlertLog.Kind.NOTIFIED).count() == 1


def test_a_storm_is_one_grouped_message_and_every_alert_is_kept(source, people, settings):
    settings.SITE_URL = "https://soc.example.gov.vn"
    events = [
        event(f"port-scan-{i}", summary=f"Port scan from 203.0.113.{i % 50}") for i in range(200)
    ]
    with time_machine.travel(MORNING, tick=False):
        intake.ingest(source, events)
        counts = escalation.run_due()
    assert Alert.objects.filter(source=source).count() == 200
    assert AlertEvent.objects.count() == 200
    assert counts["grouped_alerts"] == 200
    message = Message.objects.get(topic=escalation.TOPIC)
    assert message.subject.startswith("[citysoc] 200")
    assert f"/alerts/?source={source.pk}&status=triggered" in message.body
    assert "4 × Port scan from 203.0.113." in message.body
    assert recipients() == [[people["ward"]]]
    notified = AlertLog.objects.filter(kind=AlertLog.Kind.NOTIFIED)
    assert notified.count() == 200
    assert set(notified.values_list("message_id", flat=True)) == {message.pk}
    # The storm goes on escalating as one group: step 2 is one more message, not 200.
    with time_machine.travel(MORNING + 10 * MINUTE, tick=False):
        escalation.run_due()
    assert len(recipients()) == 2


def test_a_few_alerts_each_get_their_own_message(source, people):
    with time_machine.travel(MORNING, tick=False):
        intake.ingest(source, [event(f"k{i}") for i in range(3)])
        escalation.run_due()
    assert len(recipients()) == 3


def test_the_per_minute_allowance_counts_what_was_already_sent(source, people):
    source.notify_per_minute = 2
    source.save()
    with time_machine.travel(MORNING, tick=False) as clock:
        intake.ingest(source, [event("a"), event("b")])
        escalation.run_due()
        assert len(recipients()) == 2
        clock.shift(dt.timedelta(seconds=20))
        intake.ingest(source, [event("c")])
        escalation.run_due()
    # Allowance used up within the minute: the third goes out as a grouped message.
    assert len(recipients()) == 3
    assert Message.objects.filter(related_type="alerts.alertsource").count() == 1


def test_an_alert_in_a_maintenance_window_notifies_nobody(source, people):
    MaintenanceWindow.objects.create(
        unit=source.unit,
        starts_at=MORNING - dt.timedelta(hours=1),
        ends_at=MORNING + dt.timedelta(hours=1),
        reason="Thay ổ cứng",
    )
    with time_machine.travel(MORNING, tick=False):
        alert = one_alert(source)
        escalation.run_due()
    assert alert.silenced
    assert recipients() == []


def test_a_window_opened_during_an_escalation_pauses_it_until_it_ends(source, people):
    with time_machine.travel(MORNING, tick=False) as clock:
        one_alert(source)
        escalation.run_due()
        MaintenanceWindow.objects.create(
            unit=source.unit,
            source=source,
            starts_at=MORNING + MINUTE,
            ends_at=MORNING + dt.timedelta(hours=2),
            reason="Nâng cấp firewall",
        )
        clock.shift(10 * MINUTE)
        escalation.run_due()
        assert len(recipients()) == 1
        assert AlertLog.objects.filter(kind=AlertLog.Kind.SILENCED).count() == 1
        clock.move_to(MORNING + dt.timedelta(hours=2))
        escalation.run_due()
    assert len(recipients()) == 2


def test_a_channel_step_notifies_that_channel(unit_a, people):
    group = Channel.objects.create(
        unit=unit_a,
        kind="email",
        name="Hộp thư trực ban",
        config={"addresses": ["truc@example.gov.vn"]},
    )
    policy = EscalationPolicy.objects.create(unit=unit_a, name="Ward A", is_default=True, repeat=0)
    EscalationStep.objects.create(policy=policy, position=1, target="channel", channel=group)
    source = AlertSource.objects.create(unit=unit_a, kind="generic", name="IDS")
    with time_machine.travel(MORNING, tick=False):
        alert = one_alert(source)
        escalation.run_due()
    assert alert.escalation_policy == policy
    assert recipients() == [["truc@example.gov.vn"]]
    alert.refresh_from_db()
    assert alert.next_escalation_at is None  # one step, no repeat: done


def test_a_school_without_admin_escalates_to_its_wards_admin(sub_unit_a, policy, people):
    source = AlertSource.objects.create(unit=sub_unit_a, kind="generic", name="Camera")
    with time_machine.travel(MORNING, tick=False):
        alert = one_alert(source)
        escalation.run_due()
    assert recipients() == [[people["ward"]]]
    assert "Phường Bắc Sơn" in alert.log.get(kind=AlertLog.Kind.NOTIFIED).text


def test_nobody_to_tell_is_written_in_the_timeline(source):
    with time_machine.travel(MORNING, tick=False):
        alert = one_alert(source)
        counts = escalation.run_due()
    assert counts["unreachable"] == 1
    entry = alert.log.get(kind=AlertLog.Kind.NOTIFIED)
    assert entry.message is None


def test_the_notification_reaches_a_real_mailbox_end_to_end(source, people, smtp, client):
    with time_machine.travel(MORNING, tick=False) as clock:
        alert = one_alert(source, summary="Web defacement on portal")
        escalation.run_due()
        report = outbox.send_due()
        assert report.sent == 1
        mail = smtp[0]
        assert "Web defacement on portal" in str(make_header(decode_header(mail["Subject"])))
        assert mail["To"] == people["ward"]
        body = mail.get_payload(decode=True).decode()
        ack = next(line.split(": ", 1)[1] for line in body.splitlines() if "/link/" in line)
        path = "/" + ack.split("://", 1)[1].partition("/")[2]

        clock.shift(5 * MINUTE)  # the officer reads the mail on a phone, not logged in
        assert client.get(path).status_code == 200
        alert.refresh_from_db()
        assert alert.status == "triggered"  # opening the link changes nothing
        client.post(path)
    alert.refresh_from_db()
    assert alert.status == "acknowledged"
    assert alert.acknowledged_by == "Officer_A (link)"


def test_the_rostered_people_are_told_first_and_the_city_officer_last(source, unit_a, city, people):
    from citysoc.core.models import Person
    from citysoc.duty.models import Layer, Roster, Shift

    ward_duty = Person.objects.create(
        unit=unit_a, full_name="Lê Văn Trực", email="truc.a@example.gov.vn"
    )
    city_duty = Person.objects.create(
        unit=city, full_name="Phạm Thành Phố", email="trucban@example.gov.vn"
    )
    for unit, person in ((unit_a, ward_duty), (city, city_duty)):
        roster = Roster.objects.create(
            unit=unit, name="Tháng 3", starts_on=dt.date(2025, 3, 1), ends_on=dt.date(2025, 3, 31)
        )
        layer = Layer.objects.create(roster=roster, name="Ca chính", level=1)
        shift = Shift.objects.create(
            roster=roster, layer=layer, name="Cả ngày", start_time=dt.time(7), end_time=dt.time(7)
        )
        shift.people.set([person])
    with time_machine.travel(MORNING, tick=False) as clock:
        alert = one_alert(source)
        escalation.run_due()
        clock.shift(10 * MINUTE)
        escalation.run_due()
        clock.shift(15 * MINUTE)
        escalation.run_due()
    assert recipients() == [["truc.a@example.gov.vn"], [people["ward"]], ["trucban@example.gov.vn"]]
    notified = alert.log.get(kind=AlertLog.Kind.NOTIFIED)
    assert "Lê Văn Trực" in notified.text
