"""Unsafe defaults (issue 13, items 3 and 9): what a client could do against a hub
started with no configuration, and the smaller doors (spraying, tokens, schema, paths)."""

from __future__ import annotations

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from citysoc.alerts import links
from citysoc.alerts.models import Alert, AlertSource
from citysoc.core.models import ApiToken
from citysoc.settings import DEV_SECRET_KEY
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


# --- forged acknowledge/resolve links ---------------------------------------------------


@pytest.fixture
def alert_of_b(unit_b):
    source = AlertSource.objects.create(unit=unit_b, kind="generic", name="IDS")
    now = timezone.now()
    return Alert.objects.create(
        unit=unit_b,
        source=source,
        dedup_key="k",
        severity="critical",
        summary="Web shell on the ward portal",
        first_seen=now,
        last_seen=now,
        next_escalation_at=now,
    )


def test_a_resolve_link_forged_with_the_old_public_key_is_refused(client, alert_of_b):
    # What anyone who read the source could do: sign a link with the published dev key.
    forged = signing.TimestampSigner(key=DEV_SECRET_KEY, salt=links.SALT).sign_object(
        {"a": alert_of_b.pk, "x": "resolve", "p": "attacker"}, compress=True
    )
    response = client.post(reverse("alerts:link", args=[forged]))
    assert response.status_code == 400
    alert_of_b.refresh_from_db()
    assert alert_of_b.status == Alert.Status.TRIGGERED


# --- password spraying ----------------------------------------------------------------


def _login(client, username: str, password: str, address: str):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_many_usernames_from_one_address_lock_that_address_out(
    client, officer_a, officer_b, settings
):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 12
    # A few typos in one office (one shared address) lock nobody out...
    for name in ("officer_a", "officer_b", "viewer_x"):
        _login(client, name, "typo", "198.51.100.9")
    assert _login(client, "officer_b", PASSWORD, "198.51.100.9").status_code == 302
    client.logout()
    # ...but one password tried over many names does.
    # Two tries per name stays under the per-account limit (5) every time.
    for n in range(6):
        for _ in range(2):
            _login(client, f"guess{n}", "Mua-Thu-2026", "198.51.100.9")
    refused = _login(client, "officer_a", PASSWORD, "198.51.100.9")
    assert refused.status_code == 429
    # The office next door, on its own address, is not affected...
    assert _login(client, "officer_a", PASSWORD, "198.51.100.10").status_code == 302
    client.logout()
    # ...nor is it behind the hub's reverse proxy, which names each client.
    behind_proxy = client.post(
        reverse("login"),
        {"username": "officer_a", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.11",
    )
    assert behind_proxy.status_code == 302
    client.logout()
    # The sprayer through the proxy: its own first entry is ignored, the proxy's last counts.
    sprayer_through_proxy = client.post(
        reverse("login"),
        {"username": "officer_a", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.1, 198.51.100.9",
    )
    assert sprayer_through_proxy.status_code == 429
    # A client that is not the proxy cannot pick its address by writing the header.
    assert (
        client.post(
            reverse("login"),
            {"username": "officer_a", "password": PASSWORD},
            REMOTE_ADDR="198.51.100.9",
            HTTP_X_FORWARDED_FOR="198.51.100.12",
        ).status_code
        == 429
    )


def test_a_sprayer_logging_in_with_one_account_keeps_the_address_count(
    client, officer_a, officer_b, settings
):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    for n in range(7):
        _login(client, f"guess{n}", "Mua-Thu-2026", "198.51.100.9")
    assert _login(client, "officer_b", PASSWORD, "198.51.100.9").status_code == 302
    client.logout()
    _login(client, "guess9", "Mua-Thu-2026", "198.51.100.9")
    assert _login(client, "officer_a", PASSWORD, "198.51.100.9").status_code == 429


# --- API tokens end with the password ---------------------------------------------------


def _api_status(client, raw: str) -> int:
    client.logout()
    return client.get("/api/units/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code


def test_changing_the_password_revokes_the_api_tokens(client, officer_a):
    _token, raw = ApiToken.issue(officer_a, name="script")
    # Logging in (which saves the user) leaves the tokens alone...
    assert _login(client, "officer_a", PASSWORD, "198.51.100.30").status_code == 302
    assert _api_status(client, raw) == 200
    # ...a new password ends them.
    client.force_login(officer_a)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Gio-Mua-Dong-Bac-7",
            "new_password2": "Gio-Mua-Dong-Bac-7",
        },
    )
    assert response.status_code == 302
    assert _api_status(client, raw) == 401


def test_resetting_the_password_revokes_the_api_tokens(client, officer_a):
    _token, raw = ApiToken.issue(officer_a, name="script")
    uid = urlsafe_base64_encode(force_bytes(officer_a.pk))
    token = default_token_generator.make_token(officer_a)
    # The reset page swaps the token in the address for a session marker, then asks.
    page = client.get(reverse("password_reset_confirm", args=[uid, token]), follow=True)
    response = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "Gio-Mua-Dong-Bac-7", "new_password2": "Gio-Mua-Dong-Bac-7"},
    )
    assert response.status_code == 302
    assert _api_status(client, raw) == 401


# --- the API schema ---------------------------------------------------------------------


def test_the_api_schema_is_for_logged_in_users_and_tokens_only(client, officer_a):
    assert client.get(reverse("api-schema")).status_code in (401, 403)
    assert client.get(reverse("api-docs")).status_code == 302
    _token, raw = ApiToken.issue(officer_a, name="script")
    with_token = client.get(reverse("api-schema"), HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert with_token.status_code == 200
    assert "/api/units/" in with_token.json()["paths"]
    client.force_login(officer_a)
    assert client.get(reverse("api-schema")).status_code == 200


# --- no server paths in messages --------------------------------------------------------


def test_a_log_in_an_unknown_format_fails_without_naming_server_folders(
    client_as, officer_a, unit_a, settings
):
    from citysoc.intel import logscan
    from citysoc.intel.models import LogUpload
    from tests.intel.support import import_text

    import_text("192.0.2.50\n", source="Feodo C2")
    log = LogUpload(unit=unit_a, filename="router.txt", size=30)
    log.file.save("router.txt", ContentFile(b"nothing a reader knows\nat all\n"), save=True)
    logscan.scan(log)
    log.refresh_from_db()
    assert log.status == LogUpload.Status.FAILED
    assert "router" in log.message
    page = client_as(officer_a).get(reverse("intel:log-list")).content.decode()
    for folder in (settings.MEDIA_ROOT, settings.DATA_DIR, settings.BASE_DIR):
        assert str(folder) not in log.message
        assert str(folder) not in page


# --- the sidebar and the favicon -------------------------------------------------------


def test_one_sidebar_item_is_highlighted_on_the_incidents_page(client_as, city_admin):
    page = client_as(city_admin).get(reverse("incidents:home")).content.decode()
    assert page.count('aria-current="page"') == 1
    assert f'href="{reverse("incidents:home")}" class="active"' in page


def test_favicon_ico_answers_with_an_icon(client):
    response = client.get("/favicon.ico", follow=True)
    assert response.status_code == 200
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # ICO header
