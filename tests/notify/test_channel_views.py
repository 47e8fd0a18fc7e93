"""The channel pages: add per kind, secrets hidden, on/off, the Test button, tenancy."""

from __future__ import annotations

import pytest
from django.urls import reverse

from citysoc.core.models import Person
from citysoc.notify.models import Channel, Delivery

# The messages asserted here are the English source strings (the UI default is Vietnamese).
pytestmark = pytest.mark.usefixtures("english")

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


@pytest.fixture
def telegram(api, unit_a):
    return Channel.objects.create(
        unit=unit_a,
        kind="telegram",
        name="Nhóm trực phường",
        config={"bot_token": TOKEN, "chat_id": "-10042", "base_url": api.base_url},
    )


def test_the_list_shows_own_and_city_wide_channels_with_secrets_masked(
    client_as, telegram, unit_b, city_admin, officer_a
):
    Channel.objects.create(unit=unit_b, kind="email", name="MARK-B mail", config={})
    Channel.objects.create(kind="email", name="SOC thành phố", config={})
    page = client_as(officer_a).get(reverse("notify:channel-list")).content.decode()
    assert "Nhóm trực phường" in page and "••••Dsaw" in page
    assert TOKEN not in page
    assert "MARK-B" not in page and "SOC thành phố" not in page
    page = client_as(city_admin).get(reverse("notify:channel-list")).content.decode()
    assert "MARK-B mail" in page and "SOC thành phố" in page


def test_a_unit_editor_adds_a_telegram_channel_and_is_sent_to_test_it(client_as, officer_a, unit_a):
    client = client_as(officer_a)
    url = reverse("notify:channel-create") + "?kind=telegram"
    bad = client.post(
        url, {"kind": "telegram", "name": "X", "unit": unit_a.pk, "config_bot_token": "nope"}
    )
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "A Telegram bot token looks like" in body and "This setting is required" in body
    assert not Channel.objects.exists()
    response = client.post(
        url,
        {
            "kind": "telegram",
            "name": "Trực ban",
            "unit": unit_a.pk,
            "config_bot_token": TOKEN,
            "config_chat_id": "-10042",
        },
    )
    channel = Channel.objects.get()
    assert response["Location"] == reverse("notify:channel-test", args=[channel.pk])
    assert (channel.unit, channel.config) == (unit_a, {"bot_token": TOKEN, "chat_id": "-10042"})


def test_editing_without_retyping_the_token_keeps_it_and_never_shows_it(
    client_as, officer_a, telegram
):
    client = client_as(officer_a)
    url = reverse("notify:channel-edit", args=[telegram.pk])
    page = client.get(url).content.decode()
    assert TOKEN not in page and "••••Dsaw" in page
    client.post(
        url,
        {"action": "save", "name": "Renamed", "unit": telegram.unit_id, "config_chat_id": "-777"},
    )
    telegram.refresh_from_db()
    assert (telegram.name, telegram.config["bot_token"], telegram.config["chat_id"]) == (
        "Renamed",
        TOKEN,
        "-777",
    )


def test_a_channel_is_disabled_with_a_reason_and_enabled_again(client_as, officer_a, telegram):
    client = client_as(officer_a)
    url = reverse("notify:channel-edit", args=[telegram.pk])
    assert "Why" in client.post(url, {"action": "disable", "reason": ""}).content.decode()
    telegram.refresh_from_db()
    assert telegram.enabled
    client.post(url, {"action": "disable", "reason": "đổi nhóm Telegram"})
    telegram.refresh_from_db()
    assert (telegram.enabled, telegram.disabled_reason) == (False, "đổi nhóm Telegram")
    assert "đổi nhóm Telegram" in client.get(reverse("notify:channel-list")).content.decode()
    client.post(url, {"action": "enable"})
    telegram.refresh_from_db()
    assert (telegram.enabled, telegram.disabled_reason) == (True, "")


def test_the_test_button_sends_at_once_and_says_so(client_as, officer_a, telegram, api):
    client = client_as(officer_a)
    response = client.post(reverse("notify:channel-test", args=[telegram.pk]), follow=True)
    assert "Test sent to -10042" in response.content.decode()
    (request,) = api.received
    assert request.json()["chat_id"] == "-10042"
    assert Delivery.objects.get().status == "sent"
    telegram.refresh_from_db()
    assert telegram.last_ok_at is not None


def test_the_test_button_shows_the_error_of_a_server_that_is_down(
    client_as, officer_a, telegram, api
):
    api.stop()
    response = client_as(officer_a).post(
        reverse("notify:channel-test", args=[telegram.pk]), follow=True
    )
    page = response.content.decode()
    assert "The test to -10042 failed: no answer from 127.0.0.1" in page
    assert "could not connect" in page
    delivery = Delivery.objects.get()
    # A test is tried once: not left queued for the worker, channel not switched off.
    assert delivery.status == "dead"
    telegram.refresh_from_db()
    assert telegram.enabled and "could not connect" in telegram.last_error


def test_a_refused_test_does_not_switch_the_channel_off(client_as, officer_a, telegram, api):
    api.status = 401
    api.reply = b'{"ok": false, "description": "Unauthorized"}'
    page = (
        client_as(officer_a)
        .post(reverse("notify:channel-test", args=[telegram.pk]), follow=True)
        .content.decode()
    )
    assert "HTTP 401" in page and "Unauthorized" in page
    telegram.refresh_from_db()
    assert telegram.enabled


def test_a_viewer_sees_but_cannot_change_or_test(client_as, viewer_a, telegram, api):
    client = client_as(viewer_a)
    assert client.get(reverse("notify:channel-test", args=[telegram.pk])).status_code == 200
    assert client.post(reverse("notify:channel-test", args=[telegram.pk])).status_code == 403
    assert client.get(reverse("notify:channel-edit", args=[telegram.pk])).status_code == 403
    assert client.get(reverse("notify:channel-create")).status_code == 403
    assert api.received == []


def test_another_units_channel_is_not_found(client_as, officer_b, telegram, api):
    client = client_as(officer_b)
    for name in ("notify:channel-edit", "notify:channel-test"):
        assert client.get(reverse(name, args=[telegram.pk])).status_code == 404
        assert client.post(reverse(name, args=[telegram.pk])).status_code == 404
    assert api.received == []


def test_only_a_city_admin_adds_a_city_wide_channel(client_as, officer_a, city_admin):
    data = {"kind": "email", "name": "SOC", "unit": "", "config_addresses": "soc@x.vn"}
    url = reverse("notify:channel-create")
    assert client_as(officer_a).post(url, data).status_code == 200  # unit required
    assert not Channel.objects.exists()
    client_as(city_admin).post(url, data)
    channel = Channel.objects.get()
    assert (channel.unit, channel.recipients()) == (None, ["soc@x.vn"])


def test_a_personal_channel_lands_in_its_persons_unit_and_shows_whose(client_as, officer_a, unit_a):
    lan = Person.objects.create(unit=unit_a, full_name="Trần Thị Lan", phone="0912345678")
    client = client_as(officer_a)
    client.post(
        reverse("notify:channel-create"),
        {
            "kind": "sms_http",
            "name": "SMS chị Lan",
            "person": lan.pk,
            "unit": "",
            "config_url_template": "https://sms.example.vn/send?to={to}&msg={text}",
            "config_method": "GET",
            "config_numbers": "0912 345 678",
        },
    )
    channel = Channel.objects.get()
    assert (channel.unit, channel.person, channel.recipients()) == (unit_a, lan, ["0912345678"])
    page = client.get(reverse("notify:channel-list")).content.decode()
    assert "Trần Thị Lan" in page
    assert "sms.example.vn/••••" in page and "msg={text}" not in page
