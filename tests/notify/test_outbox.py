"""The outbox: nothing lost, nothing sent twice, a broken channel switched off and reported."""

from __future__ import annotations

import datetime as dt
from email.header import decode_header, make_header

import pytest

from citysoc.notify import outbox, tasks
from citysoc.notify.models import Channel, Delivery, Message
from tests.support.ports import free_port

NOW = dt.datetime(2027, 3, 1, 2, 0, tzinfo=dt.UTC)


def minutes(n: float) -> dt.datetime:
    return NOW + dt.timedelta(minutes=n)


@pytest.fixture
def hook(api, unit_a):
    return Channel.objects.create(
        unit=unit_a, kind="webhook", name="SIEM", config={"url": api.base_url + "/hook"}
    )


def _enqueue(channels, subject="Máy 10.0.0.5 nhiễm botnet", **kwargs):
    kwargs.setdefault("topic", "intel.cleanup")
    message = outbox.enqueue(subject, "chi tiết", channels, **kwargs)
    # Make the row due at NOW, so tests move time from a known point.
    message.deliveries.update(next_attempt_at=NOW)
    return message


def test_a_dedup_key_enqueues_the_message_once(db, hook):
    first = _enqueue([hook], dedup_key="botnet:2027-03:10.0.0.5")
    again = _enqueue([hook], subject="other words", dedup_key="botnet:2027-03:10.0.0.5")
    assert again.pk == first.pk
    assert (Message.objects.count(), Delivery.objects.count()) == (1, 1)
    _enqueue([hook])
    _enqueue([hook])
    assert Message.objects.count() == 3  # no key: every call is a new message


def test_a_gateway_that_is_down_is_retried_with_backoff_and_reached_once(db, api, hook):
    message = _enqueue([hook])
    api.stop()
    report = outbox.send_due(now=NOW)
    assert (report.claimed, report.retrying) == (1, 1)
    delivery = message.deliveries.get()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (
        "queued",
        1,
        minutes(1),
    )
    assert "no answer from 127.0.0.1" in delivery.last_error
    assert outbox.send_due(now=minutes(0.5)).claimed == 0  # not due yet
    assert outbox.send_due(now=minutes(1)).retrying == 1
    assert message.deliveries.get().next_attempt_at == minutes(3)  # 2 minutes later
    assert outbox.send_due(now=minutes(2.9)).claimed == 0
    api.start()
    assert outbox.send_due(now=minutes(3)).sent == 1
    assert outbox.send_due(now=minutes(60)).claimed == 0
    assert len(api.received) == 1
    delivery = message.deliveries.get()
    assert (delivery.status, delivery.attempts, delivery.sent_at) == ("sent", 3, minutes(3))
    hook.refresh_from_db()
    assert (hook.enabled, hook.last_error, hook.last_ok_at) == (True, "", minutes(3))


def test_a_5xx_answer_is_retried_until_the_last_attempt_then_given_up(db, api, hook):
    api.status = 503
    message = _enqueue([hook])
    when = NOW
    for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
        assert outbox.send_due(now=when).claimed == 1, attempt
        when += dt.timedelta(minutes=2 ** (attempt - 1))
    delivery = message.deliveries.get()
    assert (delivery.status, delivery.attempts) == ("dead", outbox.MAX_ATTEMPTS)
    assert delivery.last_error.startswith("gave up after 8 tries: 127.0.0.1:")
    assert "HTTP 503" in delivery.last_error
    assert outbox.send_due(now=when + dt.timedelta(days=1)).claimed == 0
    assert len(api.received) == outbox.MAX_ATTEMPTS
    hook.refresh_from_db()
    assert hook.enabled  # a busy gateway is not a broken channel


def test_a_refused_webhook_is_given_up_the_channel_disabled_and_the_unit_admin_told(
    db, api, hook, smtp, officer_a, officer_b
):
    api.status = 400
    api.reply = b'{"error": "unknown field"}'
    first, second = _enqueue([hook]), _enqueue([hook])
    report = outbox.send_due(now=NOW)
    assert (report.claimed, report.dead, report.failed) == (2, 1, 1)
    assert len(api.received) == 1  # the second row is not tried on a disabled channel
    dead = first.deliveries.get()
    assert dead.status == "dead"
    # The status, never the answer's body (which could be an internal page).
    assert "HTTP 400" in dead.last_error and "unknown field" not in dead.last_error
    skipped = second.deliveries.get()
    assert skipped.status == "failed"
    assert skipped.last_error.startswith("channel disabled: 127.0.0.1:")
    hook.refresh_from_db()
    assert not hook.enabled
    assert "HTTP 400" in hook.disabled_reason
    (mail,) = smtp
    assert mail["To"] == "officer_a@example.gov.vn"  # unit A's admin, not unit B's
    assert "SIEM" in mail["Subject"]
    assert "HTTP 400" in mail.get_payload()


def test_a_message_for_a_disabled_channel_is_recorded_as_not_sent(db, hook):
    hook.enabled, hook.disabled_reason = False, "token revoked"
    hook.save()
    message = outbox.enqueue("x", "y", [hook], topic="t")
    delivery = message.deliveries.get()
    assert (delivery.status, delivery.last_error) == ("failed", "channel disabled: token revoked")


def test_two_claims_never_take_the_same_row(db, api, hook):
    for n in range(5):
        _enqueue([hook], subject=f"msg {n}")
    first = outbox.claim(now=NOW, worker="w1", limit=3)
    second = outbox.claim(now=NOW, worker="w1", limit=10)
    third = outbox.claim(now=NOW, worker="w2", limit=10)
    assert (len(first), len(second), len(third)) == (3, 2, 0)
    assert not {d.pk for d in first} & {d.pk for d in second}
    assert {d.claimed_by.split("/")[0] for d in first + second} == {"w1"}
    for delivery in first + second:
        outbox.deliver(delivery, now=NOW)
    assert outbox.send_due(now=minutes(60)).claimed == 0
    assert sorted(r.json()["subject"] for r in api.received) == [f"msg {n}" for n in range(5)]


def test_a_stale_claim_cannot_overwrite_a_row_another_worker_took_over(db, api, hook):
    _enqueue([hook])
    (slow,) = outbox.claim(now=NOW, worker="slow")
    (fast,) = outbox.claim(now=minutes(16), worker="fast")
    outbox.deliver(fast, now=minutes(16))
    api.status = 500
    outbox.deliver(slow, now=minutes(17))  # the slow worker wakes up and fails
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.claimed_by) == ("sent", fast.claimed_by)


def test_a_row_left_sending_by_a_killed_worker_is_sent_once_after_the_timeout(db, api, hook):
    message = _enqueue([hook])
    (claimed,) = outbox.claim(now=NOW, worker="killed")  # ...and the worker dies here
    assert outbox.send_due(now=minutes(5)).claimed == 0  # maybe still working
    report = outbox.send_due(now=NOW + outbox.STALE_AFTER + dt.timedelta(seconds=1))
    assert (report.claimed, report.sent) == (1, 1)
    assert outbox.send_due(now=minutes(120)).claimed == 0
    assert len(api.received) == 1
    delivery = message.deliveries.get()
    assert (delivery.status, delivery.attempts) == ("sent", 2)
    assert delivery.claimed_by != claimed.claimed_by


def test_the_task_sends_what_is_due(db, api, hook):
    outbox.enqueue("x", "y", [hook], topic="t")
    result = tasks.send_outbox.call()
    assert result["sent"] == 1
    assert len(api.received) == 1


def test_a_city_wide_channel_is_visible_to_city_roles_only(db, city_admin, officer_a, hook):
    city_wide = Channel.objects.create(kind="email", name="SOC", config={"address": "soc@x.vn"})
    assert set(Channel.objects.visible_to(city_admin)) == {hook, city_wide}
    assert set(Channel.objects.visible_to(officer_a)) == {hook}


def test_a_mail_server_that_is_down_is_retried_and_mails_once_when_back(db, smtp, settings, unit_a):
    channel = Channel.objects.create(
        unit=unit_a, kind="email", name="Trực ban", config={"addresses": ["lan@x.vn"]}
    )
    message = _enqueue([channel])
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()
    assert outbox.send_due(now=NOW).retrying == 1
    assert "mail server unreachable" in message.deliveries.get().last_error
    settings.EMAIL_PORT = port
    assert outbox.send_due(now=minutes(1)).sent == 1
    assert outbox.send_due(now=minutes(60)).claimed == 0
    (mail,) = smtp
    subject = str(make_header(decode_header(mail["Subject"])))
    assert (mail["To"], subject) == ("lan@x.vn", "Máy 10.0.0.5 nhiễm botnet")
    assert mail["Message-ID"].startswith(f"<citysoc.delivery.{message.deliveries.get().pk}@")


def test_an_admin_without_email_is_told_through_their_own_other_channel(
    db, api, hook, smtp, officer_a
):
    from citysoc.core.models import Person

    admin = Person.objects.get(user=officer_a)
    Person.objects.filter(pk=admin.pk).update(email="")
    phone = Channel.objects.create(
        unit=hook.unit,
        person=admin,
        kind="telegram",
        name="Officer A",
        config={"bot_token": "1:A", "chat_id": "77", "base_url": api.base_url},
    )
    api.status = 410
    _enqueue([hook])
    outbox.send_due(now=NOW)
    assert smtp == []
    told = Message.objects.get(topic=outbox.DISABLED_TOPIC)
    assert "SIEM" in told.subject
    assert [d.channel for d in told.deliveries.all()] == [phone]  # not the disabled hook


def test_a_test_message_is_not_retried_by_the_worker(db, api, hook):
    api.stop()
    message = outbox.enqueue("test", "x", [hook], topic=outbox.TEST_TOPIC)
    assert outbox.send_message(message).dead == 1
    assert outbox.send_due(now=minutes(600)).claimed == 0
    hook.refresh_from_db()
    assert hook.enabled


def test_sending_one_message_leaves_rows_a_worker_claimed_to_it(db, api, hook):
    message = _enqueue([hook])
    (claimed,) = outbox.claim(now=NOW, worker="worker")
    assert outbox.send_message(message, now=NOW).claimed == 0
    outbox.deliver(claimed, now=NOW)
    assert len(api.received) == 1
