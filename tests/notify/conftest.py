"""Real servers on 127.0.0.1 for the notification tests: SMTP and a small HTTP API."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.support import http_server
from tests.support.ports import free_port


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
        http_server.start(self._server)

    def stop(self) -> None:
        if self._server is not None:
            http_server.stop(self._server)
            self._server = None


@pytest.fixture(autouse=True)
def _local_servers(loopback_allowed):
    """The gateways these tests send to listen on 127.0.0.1."""


@pytest.fixture
def api():
    server = FakeApi(port=free_port())
    server.start()
    yield server
    server.stop()
