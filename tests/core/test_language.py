from django.conf import settings


def test_pages_are_vietnamese_even_when_the_browser_asks_for_english(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="vi">' in response.content.decode()


def test_the_language_switch_wins(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    response = client.get("/accounts/login/")
    assert '<html lang="en">' in response.content.decode()
