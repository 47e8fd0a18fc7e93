import pytest

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_logs_in_and_switches_to_english(page, login, officer_a):
    login("officer_a", PASSWORD)
    assert page.url.endswith("/")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.click("button[data-lang=en]")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("text=Log out").count() == 1


def test_a_wrong_password_keeps_the_user_out(page, login, officer_a):
    login("officer_a", "not-the-password")
    assert "/accounts/login/" in page.url
    assert page.locator(".error").count() == 1
