"""Real servers on 127.0.0.1 for the notification tests: SMTP and a small HTTP API."""

from __future__ import annotations

import json
import logging
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings

from tests.support.smtp import smtp_server


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class FakeApi:
    """Stands in for Telegram, Zalo, an SMS gateway or a webhook receiver.

    `status` and `reply` set the next answers; stop() and start() take it down and back up
    on the same port, as a gateway that restarts would.
    """

    port: int
    status: int = 200
    reply: bytes = b'{"ok": true, "error": 0}'
    received: list[Received] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                api.received.append(
                    Received(self.command, self.path, dict(self.headers), self.rfile.read(length))
                )
                self.send_response(api.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(api.reply)))
                self.end_headers()
                self.wfile.write(api.reply)

            do_GET = do_POST = _answer  # noqa: N815 - http.server's hook names

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def api():
    server = FakeApi(port=_free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _quiet_smtp_server_log():
    # aiosmtpd logs "connection lost" from its own thread, sometimes after pytest has
    # closed the test's log capture: keep its chatter out.
    server_log = logging.getLogger("mail.log")
    level = server_log.level
    server_log.setLevel(logging.WARNING)
    yield
    server_log.setLevel(level)


@pytest.fixture
def smtp():
    """The real SMTP server on 127.0.0.1, with Django's SMTP backend pointed at it."""
    with (
        smtp_server() as (port, inbox),
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_TIMEOUT=5,
        ),
    ):
        yield inbox
