"""A real web server on 127.0.0.1 with many virtual hosts, for the webwatch checks.

Sites are chosen by the Host header (the checks connect to 127.0.0.1 through
`FetchConfig(resolve={"*": "127.0.0.1"})`), so redirects to "foreign" domains, crawls
and TLS host names behave as on the internet. One plain HTTP port and one HTTPS port;
the HTTPS port picks its certificate by SNI (see certs.py).

    with WebServer() as server:
        server.page("www.phuong-a.example", "/", html)
        server.route("slow.example", "/", lambda request: Reply(body=b"...", delay=1.0))
        url = server.url("www.phuong-a.example", "/")
"""

from __future__ import annotations

import ssl
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.support import http_server


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False  # close the connection without answering (a dead backend)


@dataclass
class Request:
    host: str
    path: str
    headers: dict[str, str]


Handler = Callable[[Request], Reply]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512

    def handle_error(self, request, client_address):
        # A client closing a kept-alive connection is normal, not worth a traceback.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class WebServer:
    """Virtual hosts: {host: {path: handler}}; "*" stands for any other host or path."""

    def __init__(self, sni: dict[str, ssl.SSLContext] | None = None) -> None:
        self.sites: dict[str, dict[str, Handler]] = {}
        self.hits: list[Request] = []
        self._http = _Server(("127.0.0.1", 0), self._handler_class())
        self._https = None
        if sni:
            self._https = _Server(("127.0.0.1", 0), self._handler_class())
            self._https.socket = _sni_context(sni).wrap_socket(self._https.socket, server_side=True)
        self._threads: list[threading.Thread] = []

    @property
    def port(self) -> int:
        return self._http.server_address[1]

    @property
    def tls_port(self) -> int:
        return self._https.server_address[1]

    def url(self, host: str, path: str = "/", *, tls: bool = False) -> str:
        if tls:
            return f"https://{host}:{self.tls_port}{path}"
        return f"http://{host}:{self.port}{path}"

    def route(self, host: str, path: str, handler: Handler) -> None:
        self.sites.setdefault(host.lower(), {})[path] = handler

    def page(
        self,
        host: str,
        path: str,
        body: str | bytes,
        *,
        status: int = 200,
        content_type: str = "text/html; charset=utf-8",
        **headers: str,
    ) -> None:
        data = body.encode() if isinstance(body, str) else body
        reply = Reply(status, data, {"Content-Type": content_type, **headers})
        self.route(host, path, lambda request: reply)

    def redirect(self, host: str, path: str, location: str, status: int = 302) -> None:
        self.route(host, path, lambda request: Reply(status, b"", {"Location": location}))

    def start(self) -> WebServer:
        for server in filter(None, (self._http, self._https)):
            self._threads.append(http_server.start(server))
        return self

    def stop(self) -> None:
        for server in filter(None, (self._http, self._https)):
            http_server.stop(server)

    def __enter__(self) -> WebServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _handler_class(self):
        owner = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # One write per answer, sent at once: headers and body in separate small
            # packets would wait on Nagle's algorithm and delayed ACKs (40 ms each).
            wbufsize = -1
            disable_nagle_algorithm = True

            def do_GET(self):  # noqa: N802 - http.server's hook name
                host = (self.headers.get("Host") or "").rsplit(":", 1)[0].lower()
                path = self.path.split("?", 1)[0]
                request = Request(host, path, {k.lower(): v for k, v in self.headers.items()})
                owner.hits.append(request)
                site = owner.sites.get(host) or owner.sites.get("*", {})
                handler = site.get(path) or site.get("*")
                reply = handler(request) if handler else Reply(404, b"not found")
                self._send(reply)

            def _send(self, reply: Reply) -> None:
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.drop:
                    self.close_connection = True
                    return
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            def log_message(self, *args):  # keep test output quiet
                pass

        return _Handler


def _sni_context(contexts: dict[str, ssl.SSLContext]) -> ssl.SSLContext:
    default = next(iter(contexts.values()))

    def choose(ssl_socket, server_name, _context):
        if server_name in contexts:
            ssl_socket.context = contexts[server_name]

    default.sni_callback = choose
    return default


def server_context(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context
