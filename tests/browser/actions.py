"""What a user does in the browser, shared by the browser tests.

A step that leads to a new page waits for that page's `load` (`goto` does by itself; a
click that submits a form is wrapped in `expect_navigation`), not for "networkidle": that
waits for half a second without a request after every page, about 25 s of each run, and
our pages load everything they need before `load` (the lists that poll keep polling).
"""

from __future__ import annotations


def log_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def switch_language(page, code: str) -> None:
    """Press the language button in the top bar and wait for the page to come back."""
    with page.expect_navigation():
        page.click(f"button[data-lang={code}]")
