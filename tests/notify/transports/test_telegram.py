"""Telegram: sendMessage to the bot API (or a local relay) with the chat id."""

import datetime as dt

from citysoc.notify.models import Channel
from tests.notify.transports.support import NOW, golden, send


def test_a_telegram_channel_posts_send_message_with_the_chat_id(db, api, unit_a):
    channel = Channel.objects.create(
        unit=unit_a,
        kind="telegram",
        name="Nhóm trực",
        config={"bot_token": "123:ABC", "chat_id": "-10042", "base_url": api.base_url},
    )
    _, report = send(channel)
    assert report.sent == 1
    (request,) = api.received
    assert (request.method, request.path) == ("POST", "/bot123:ABC/sendMessage")
    assert request.json() == golden("telegram/send_message.json")
    channel.refresh_from_db()
    assert channel.last_ok_at == NOW + dt.timedelta(seconds=1)
