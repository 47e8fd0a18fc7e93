"""Browser tests: Playwright driving Debian's Chromium headless against the live server.

Playwright's own browser download does not work on isolated machines, so these tests use
the system's /usr/bin/chromium (CI installs Debian's `chromium`) and skip with a reason
when it is absent. Set BROWSER_SHOTS=/some/dir to keep a screenshot of each page a test
looks at (for checking the layout by eye; the tests never compare pictures).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.browser.actions import log_in

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = os.environ.get("BROWSER_SHOTS", "")

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
# inside one unless told that the test process knows what it is doing.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# Package scope: Playwright's event loop stops after the last browser test, so tests
# collected after this folder may run their own asyncio loops (webwatch checks do).
@pytest.fixture(scope="package")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _reference_data() -> None:
    """Put back the rows a data migration seeds (the security regimes).

    A live-server test runs outside a transaction and its database is flushed afterwards,
    reference rows included; the next browser test would find no regime in force.
    """
    from importlib import import_module

    from django.apps import apps

    import_module("citysoc.inventory.migrations.0002_security_regimes").load(apps, None)


def _open_page(browser, live_server, **context_options):
    _reference_data()
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", **context_options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.fixture
def page(browser, live_server):
    context, page = _open_page(browser, live_server)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A page as a phone shows it: 390 CSS pixels wide, touch, device scale 3."""
    context, page = _open_page(
        browser,
        live_server,
        viewport={"width": 390, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
    )
    yield page
    context.close()


@pytest.fixture
def login(page):
    def do(username: str, password: str) -> None:
        log_in(page, username, password)

    return do


@pytest.fixture
def shot(request):
    """shot(page, "name"): keep a full-page screenshot when BROWSER_SHOTS is set."""

    def take(page, name: str) -> None:
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)

    return take
