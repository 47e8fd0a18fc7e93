import re

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import PASSWORD
from tests.support.smtp import smtp_server


@pytest.fixture(autouse=True)
def english(settings):
    """Assert on the English text: the Vietnamese catalogue is filled in separately."""
    settings.LANGUAGE_CODE = "en"


def test_a_password_reset_mail_lets_the_user_set_a_new_password(client, officer_a):
    with (
        smtp_server() as (port, inbox),
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
        ),
    ):
        sent = client.post(reverse("password_reset"), {"email": officer_a.email})
    assert sent["Location"] == reverse("password_reset_done")
    assert "Check your e-mail" in client.get(sent["Location"]).content.decode()
    assert len(inbox) == 1
    body = inbox[0].get_payload(decode=True).decode()
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Nui-Tam-Diep-2027", "new_password2": "Nui-Tam-Diep-2027"},
    )
    assert done["Location"] == reverse("password_reset_complete")
    officer_a.refresh_from_db()
    assert officer_a.check_password("Nui-Tam-Diep-2027")


def test_a_used_reset_link_says_it_is_no_longer_valid(client, officer_a):
    response = client.get(reverse("password_reset_confirm", args=["MQ", "bad-token"]))
    assert "not valid any more" in response.content.decode()


def test_a_user_changes_their_password(client_as, officer_a):
    client = client_as(officer_a)
    assert client.get(reverse("password_change")).status_code == 200
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Song-Day-Ninh-Binh-9",
            "new_password2": "Song-Day-Ninh-Binh-9",
        },
    )
    assert response["Location"] == reverse("password_change_done")
    officer_a.refresh_from_db()
    assert officer_a.check_password("Song-Day-Ninh-Binh-9")


def test_five_wrong_passwords_show_the_locked_page(client, officer_a):
    for _ in range(5):
        client.post(reverse("login"), {"username": "officer_a", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "officer_a", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()


def test_logout_is_a_post_and_ends_the_session(client_as, officer_a):
    client = client_as(officer_a)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert f'action="{reverse("logout")}" method="post"' in page
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert client.get(reverse("core:dashboard")).status_code == 302


def test_the_language_switch_turns_the_page_english(client_as, officer_a):
    client = client_as(officer_a)
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("inventory:system-list")}
    )
    assert response["Location"] == reverse("inventory:system-list")
    page = client.get(reverse("inventory:system-list")).content.decode()
    assert '<html lang="en">' in page
    assert "Information systems" in page
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert '<html lang="vi">' in client.get("/").content.decode()
