"""Zalo OA: a customer-service message with the access token; errors come in a 200."""

from citysoc.notify.models import Channel
from tests.notify.transports.support import golden, send


def _channel(unit, api, token="tok"):
    return Channel.objects.create(
        unit=unit,
        kind="zalo",
        name="Zalo OA",
        config={"access_token": token, "user_id": "8080", "base_url": api.base_url},
    )


def test_a_zalo_channel_posts_a_cs_message_with_the_access_token(db, api, unit_a):
    assert send(_channel(unit_a, api))[1].sent == 1
    (request,) = api.received
    assert request.path == "/v3.0/oa/message/cs"
    assert request.headers["access_token"] == "tok"
    assert request.json() == golden("zalo/cs_message.json")


def test_a_zalo_error_code_in_a_200_answer_gives_up_and_disables(db, api, unit_a):
    api.reply = b'{"error": -216, "message": "Access token is invalid"}'
    channel = _channel(unit_a, api, token="old")
    assert send(channel)[1].dead == 1
    channel.refresh_from_db()
    assert not channel.enabled
    assert "Access token is invalid" in channel.disabled_reason
