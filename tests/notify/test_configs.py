"""Channel settings: what an operator types is checked per kind, and secrets never shown."""

from __future__ import annotations

import pytest

from citysoc.notify import configs

# The messages asserted here are the English source strings (the UI default is Vietnamese).
pytestmark = pytest.mark.usefixtures("english")


def test_email_addresses_are_split_and_a_bad_one_is_named_by_position():
    assert configs.clean_config("email", {"addresses": "a@x.vn\nb@x.vn, c@x.vn"}) == {
        "addresses": ["a@x.vn", "b@x.vn", "c@x.vn"]
    }
    with pytest.raises(configs.ConfigError) as exc:
        configs.clean_config("email", {"addresses": ["a@x.vn", "not-an-address"]})
    assert "Address 2 (not-an-address)" in exc.value.errors["addresses"]


def test_each_kind_says_which_setting_is_missing():
    with pytest.raises(configs.ConfigError) as exc:
        configs.clean_config("telegram", {"chat_id": "-100"})
    assert set(exc.value.errors) == {"bot_token"}


def test_a_telegram_token_and_chat_id_must_look_right():
    with pytest.raises(configs.ConfigError) as exc:
        configs.clean_config("telegram", {"bot_token": "hello", "chat_id": "group"})
    assert set(exc.value.errors) == {"bot_token", "chat_id"}
    ok = configs.clean_config(
        "telegram",
        {"bot_token": "123:ABC_def", "chat_id": "-10042", "base_url": "http://127.0.0.1:8081"},
    )
    assert ok["chat_id"] == "-10042"


def test_webhook_headers_are_read_line_by_line():
    config = configs.clean_config(
        "webhook", {"url": "https://siem.example.vn/in", "headers": "X-Token: s3\nX-Org: soc"}
    )
    assert config["headers"] == {"X-Token": "s3", "X-Org": "soc"}
    with pytest.raises(configs.ConfigError) as exc:
        configs.clean_config("webhook", {"url": "ftp://x", "headers": "X-Token s3"})
    assert "http://" in exc.value.errors["url"]
    assert "line 1" in exc.value.errors["headers"]


def test_an_sms_template_needs_to_and_only_known_placeholders():
    good = "https://sms.example.vn/send?to={to}&msg={text}"
    config = configs.clean_config(
        "sms_http", {"url_template": good, "method": "post", "numbers": "0912 345 678"}
    )
    assert (config["method"], config["numbers"]) == ("POST", ["0912345678"])
    with pytest.raises(configs.ConfigError) as exc:
        configs.clean_config(
            "sms_http", {"url_template": "https://x.vn/?p={password}", "numbers": "12"}
        )
    assert "{to} and {text}" in exc.value.errors["url_template"]
    assert "Number 1 (12)" in exc.value.errors["numbers"]


def test_an_apprise_url_names_a_service():
    assert configs.clean_config("apprise", {"url": "tgram://bot/chat"}) == {
        "url": "tgram://bot/chat"
    }
    with pytest.raises(configs.ConfigError):
        configs.clean_config("apprise", {"url": "just words"})


def test_a_secret_left_empty_keeps_the_saved_one():
    saved = {"access_token": "old-token", "user_id": "8080"}
    config = configs.clean_config("zalo", {"access_token": "", "user_id": "9090"}, previous=saved)
    assert config == {"access_token": "old-token", "user_id": "9090"}


def test_secrets_are_masked_and_the_rest_shown():
    shown = configs.masked(
        "webhook",
        {"url": "https://hooks.example.vn:8443/T0/B0/XYZ", "headers": {"X-Token": "s3"}},
    )
    assert shown == {"url": "https://hooks.example.vn:8443/••••", "headers": {"X-Token": "••••"}}
    token = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
    shown = configs.masked("telegram", {"bot_token": token, "chat_id": "-1"})
    assert shown == {"bot_token": "••••Dsaw", "chat_id": "-1"}
