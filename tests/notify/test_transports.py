"""Each channel kind reaches its (local) service once, in the shape that service expects."""

from __future__ import annotations

import datetime as dt
import importlib.util
from urllib.parse import parse_qs, urlsplit

import pytest

from citysoc.notify import outbox
from citysoc.notify.models import Channel, Delivery
from citysoc.notify.transports import TRANSPORTS

NOW = dt.datetime(2027, 3, 1, 2, 0, tzinfo=dt.UTC)


def _send(channel, subject="Máy 10.0.0.5 nhiễm botnet", body="Xử lý trước 17h."):
    message = outbox.enqueue(subject, body, [channel], topic="intel.cleanup")
    report = outbox.send_due(now=NOW + dt.timedelta(seconds=1))
    return message, report


def test_every_channel_kind_has_a_transport():
    assert set(TRANSPORTS) == set(Channel.Kind.values)


def test_an_email_channel_mails_each_address_once(db, smtp, unit_a):
    channel = Channel.objects.create(
        unit=unit_a, kind="email", name="Trực ban", config={"addresses": ["a@x.vn", "b@x.vn"]}
    )
    message, report = _send(channel)
    assert (report.claimed, report.sent) == (2, 2)
    assert sorted(m["To"] for m in smtp) == ["a@x.vn", "b@x.vn"]
    assert outbox.send_due(now=NOW + dt.timedelta(hours=1)).claimed == 0
    assert len(smtp) == 2
    assert set(message.deliveries.values_list("status", flat=True)) == {"sent"}


def test_a_telegram_channel_posts_send_message_with_the_chat_id(db, api, unit_a):
    channel = Channel.objects.create(
        unit=unit_a,
        kind="telegram",
        name="Nhóm trực",
        config={"bot_token": "123:ABC", "chat_id": "-10042", "base_url": api.base_url},
    )
    _, report = _send(channel)
    assert report.sent == 1
    (request,) = api.received
    assert (request.method, request.path) == ("POST", "/bot123:ABC/sendMessage")
    assert request.json() == {
        "chat_id": "-10042",
        "text": "Máy 10.0.0.5 nhiễm botnet\n\nXử lý trước 17h.",
    }
    channel.refresh_from_db()
    assert channel.last_ok_at == NOW + dt.timedelta(seconds=1)


def test_a_zalo_channel_posts_a_cs_message_with_the_access_token(db, api, unit_a):
    channel = Channel.objects.create(
        unit=unit_a,
        kind="zalo",
        name="Zalo OA",
        config={"access_token": "tok", "user_id": "8080", "base_url": api.base_url},
    )
    assert _send(channel)[1].sent == 1
    (request,) = api.received
    assert request.path == "/v3.0/oa/message/cs"
    assert request.headers["access_token"] == "tok"
    assert request.json()["recipient"] == {"user_id": "8080"}


def test_a_zalo_error_code_in_a_200_answer_gives_up_and_disables(db, api, unit_a):
    api.reply = b'{"error": -216, "message": "Access token is invalid"}'
    channel = Channel.objects.create(
        unit=unit_a,
        kind="zalo",
        name="Zalo OA",
        config={"access_token": "old", "user_id": "8080", "base_url": api.base_url},
    )
    assert _send(channel)[1].dead == 1
    channel.refresh_from_db()
    assert not channel.enabled
    assert "Access token is invalid" in channel.disabled_reason


def test_an_sms_gateway_gets_the_number_and_text_in_its_url(db, api, unit_a):
    channel = Channel.objects.create(
        unit=unit_a,
        kind="sms_http",
        name="SMS",
        config={
            "url_template": api.base_url + "/send?to={to}&msg={text}",
            "numbers": ["+84912345678"],
        },
    )
    assert _send(channel, body="")[1].sent == 1
    (request,) = api.received
    assert request.method == "GET"
    query = parse_qs(urlsplit(request.path).query)
    assert query == {"to": ["+84912345678"], "msg": ["Máy 10.0.0.5 nhiễm botnet"]}


def test_a_webhook_gets_the_message_as_json_with_its_headers(db, api, unit_a):
    channel = Channel.objects.create(
        unit=unit_a,
        kind="webhook",
        name="SIEM",
        config={"url": api.base_url + "/hook", "headers": {"X-Token": "s3"}},
    )
    message = outbox.enqueue("Cảnh báo", "chi tiết", [channel], topic="alerts", related=unit_a)
    assert outbox.send_due(now=NOW + dt.timedelta(seconds=1)).sent == 1
    (request,) = api.received
    assert request.headers["X-Token"] == "s3"
    payload = request.json()
    assert (payload["subject"], payload["topic"], payload["message_id"]) == (
        "Cảnh báo",
        "alerts",
        message.pk,
    )
    assert payload["related"] == {"type": "core.unit", "id": str(unit_a.pk)}


def test_a_channel_missing_a_setting_says_which(db, unit_a):
    channel = Channel.objects.create(unit=unit_a, kind="webhook", name="SIEM", config={})
    _send(channel)
    delivery = Delivery.objects.get()
    assert delivery.status == "dead"
    assert delivery.last_error == "channel 'SIEM' has no url in its settings"


def test_apprise_without_the_package_tells_the_operator_to_install_it(db, unit_a):
    if importlib.util.find_spec("apprise") is not None:
        pytest.skip("apprise is installed here: this test is about a worker without it")
    channel = Channel.objects.create(
        unit=unit_a, kind="apprise", name="Discord", config={"url": "json://127.0.0.1:9/"}
    )
    _send(channel)
    delivery = Delivery.objects.get()
    assert delivery.status == "dead"
    assert "pip install apprise" in delivery.last_error
