"""A hub started as `make run` starts it — no variables at all — on a port other than 8000.

Before: DEBUG on (tracebacks and the URL list on a 404), the public development secret key,
links naming :8000 whatever the port, and the demo's e-mails mixed into `demo --json`.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.support.ports import free_port

CITYSOC = [sys.executable, "-m", "citysoc.cli"]
# Settings a developer's shell may carry; a bare start has none of them.
CONFIGURED = {
    "DATABASE_URL", "DEBUG", "CITYSOC_DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "ALLOWED_HOSTS",
    "SITE_URL", "CITYSOC_TLS", "EMAIL_HOST", "EMAIL_BACKEND", "LOG_LEVEL",
    "CITYSOC_SERVE_HOST", "CITYSOC_SERVE_PORT", "DJANGO_SETTINGS_MODULE",
    # Set by the browser tests' conftest in the same test process (Playwright's event loop).
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}  # fmt: skip


def bare_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in CONFIGURED}
    return env | {"CITYSOC_DATA_DIR": str(data_dir)} | extra


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*CITYSOC, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


class Answer:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def get(url: str, **headers: str) -> Answer:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback only
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return Answer(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers, error.read())


@pytest.fixture(scope="module")
def hub(tmp_path_factory, migrated_hub):
    """Migrated, demo loaded, a city token, and `citysoc serve` on a free port."""
    data = tmp_path_factory.mktemp("hub")
    env = bare_env(data)
    migrated_hub(data)
    demo = run(["demo", "--json"], env)
    assert demo.returncode == 0, demo.stderr
    token = run(["token", "create", "--user", "city.admin"], env)
    assert token.returncode == 0, token.stderr
    port = free_port()
    proc = subprocess.Popen(
        [*CITYSOC, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while not _answers(base + "/accounts/login/"):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"serve did not answer (exit code {proc.poll()})")
            time.sleep(0.3)
        yield {"base": base, "port": port, "data": data, "demo": demo, "token": token.stdout}
    finally:
        proc.terminate()
        proc.wait(30)


def _answers(url: str) -> bool:
    try:
        return get(url).status == 200
    except OSError:
        return False


def test_a_bare_start_keeps_a_random_secret_readable_by_its_owner_only(hub):
    key_file = hub["data"] / "secret_key"
    key = key_file.read_text().strip()
    assert len(key) >= 50
    assert key != "dev-only-insecure-key-change-me"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    # Every later command of the same hub uses that same key.
    again = run(
        ["shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)"],
        bare_env(hub["data"]),
    )
    assert again.stdout.strip().splitlines()[-1] == key
    # A copy restored with looser modes is made private again on the next start.
    key_file.chmod(0o644)
    run(["check"], bare_env(hub["data"]))
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    # A key given in the environment wins, and nothing is written.
    elsewhere = hub["data"] / "other"
    shown = run(
        ["shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)"],
        bare_env(elsewhere, SECRET_KEY="k" * 60),
    )
    assert shown.stdout.strip().splitlines()[-1] == "k" * 60
    assert not (elsewhere / "secret_key").exists()


def test_a_missing_page_shows_the_apps_own_vietnamese_page_not_a_traceback(hub):
    page = get(hub["base"] + "/khong-co-trang-nay/")
    assert page.status == 404
    assert "Không tìm thấy" in page.text
    assert "URLconf" not in page.text
    assert "DEBUG = True" not in page.text


def test_static_files_and_the_favicon_are_served_with_debug_off(hub):
    css = get(hub["base"] + "/static/citysoc/citysoc.css")
    assert css.status == 200
    assert "text/css" in css.headers["Content-Type"]
    icon = get(hub["base"] + "/favicon.ico")
    assert icon.status == 200
    assert icon.body[:4] == b"\x00\x00\x01\x00"


def test_the_hub_answers_to_its_names_and_gives_out_the_port_actually_served(hub):
    assert get(hub["base"] + "/accounts/login/", Host=f"localhost:{hub['port']}").status == 200
    assert get(hub["base"] + "/accounts/login/", Host="soc.attacker.example").status == 400
    sources = get(
        hub["base"] + "/api/alert-sources/", Authorization=f"Bearer {hub['token'].strip()}"
    )
    assert sources.status == 200
    urls = [s["intake_url"] for s in json.loads(sources.text)["results"] if s["intake_url"]]
    assert urls
    assert all(u.startswith(f"http://127.0.0.1:{hub['port']}/api/alerts/intake/") for u in urls)


def test_demo_json_prints_only_json_and_no_library_lines(hub):
    demo = hub["demo"]
    accounts = json.loads(demo.stdout)  # nothing else on stdout: e-mails are not printed
    assert {a["username"] for a in accounts} >= {"city.admin"}
    assert "AXES" not in demo.stderr
    assert "Subject:" not in demo.stderr
    # The demo's messages are not lost either: they wait in the outbox for the worker, which
    # keeps each e-mail as a file in the data folder while EMAIL_HOST is not set.


PRODUCTION = {
    "CITYSOC_TLS": "1",
    "SECRET_KEY": "Vq3-8pZ_xT1mR7kL0nB4cY6wE2sH9jU5aD-gF8oI3lK7zX1vC4bN6mQ0rT2yP9eW",
    "ALLOWED_HOSTS": "soc.tamdiep.example.gov.vn",
    "SITE_URL": "https://soc.tamdiep.example.gov.vn",
    "EMAIL_HOST": "mail.tamdiep.example.gov.vn",
}


def test_the_deployment_check_is_clean_for_a_production_configuration(tmp_path):
    production = bare_env(tmp_path, **PRODUCTION)
    checked = run(["check", "--deploy", "--fail-level", "WARNING"], production)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "no issues" in checked.stdout
    settings = run(
        [
            "shell",
            "-c",
            "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, "
            "s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.DEBUG)",
        ],
        bare_env(tmp_path, **PRODUCTION),
    )
    assert settings.stdout.strip().splitlines()[-1] == "True 31536000 True True False"


def test_the_deployment_check_names_what_a_tls_deployment_misses(tmp_path):
    without_site = {k: v for k, v in PRODUCTION.items() if k != "SITE_URL"}
    checked = run(["check", "--deploy"], bare_env(tmp_path, **without_site))
    assert "citysoc.W002" in checked.stdout + checked.stderr


def _no_redirect_get(url: str, **headers: str) -> Answer:
    class Keep(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None  # show the redirect itself

    opener = urllib.request.build_opener(Keep)
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback only
    try:
        with opener.open(request, timeout=10) as response:
            return Answer(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers, error.read())


def test_behind_a_tls_proxy_http_is_redirected_and_https_gets_hsts_and_secure_cookies(
    tmp_path, migrated_hub
):
    env = bare_env(tmp_path, **PRODUCTION)
    migrated_hub(tmp_path)
    port = free_port()
    proc = subprocess.Popen(
        [*CITYSOC, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/accounts/login/"
    host = {"Host": "soc.tamdiep.example.gov.vn"}
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                plain = _no_redirect_get(url, **host)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"serve did not answer ({proc.poll()})") from None
                time.sleep(0.3)
        # What the proxy passes on for a plain-HTTP visit: sent to HTTPS.
        assert plain.status == 301
        assert plain.headers["Location"] == "https://soc.tamdiep.example.gov.vn/accounts/login/"
        # What it passes on for an HTTPS visit (gunicorn trusts the header from 127.0.0.1).
        secure = _no_redirect_get(url, **host, **{"X-Forwarded-Proto": "https"})
        assert secure.status == 200
        assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")
        assert "Secure" in secure.headers["Set-Cookie"]
    finally:
        proc.terminate()
        proc.wait(30)
    assert proc.returncode == 0  # stopped by the operator (SIGTERM): a clean exit
