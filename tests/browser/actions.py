"""What a user does in the browser, shared by the browser tests."""

from __future__ import annotations


def log_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")


def switch_language(page, code: str) -> None:
    """Press the language button in the top bar and wait for the page to come back."""
    with page.expect_navigation():
        page.click(f"button[data-lang={code}]")
    page.wait_for_load_state("networkidle")
