"""Pulling feeds from a real HTTP server on 127.0.0.1 and from file:// folders."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import os
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from citysoc.intel.fetching import FetchError, fetch, staleness
from tests.support import http_server
from tests.support.ports import free_port

# The feed servers here listen on 127.0.0.1.
pytestmark = pytest.mark.usefixtures("loopback_allowed")

LIST = b"# botnet list\n198.51.100.7\n203.0.113.0/24\n"
ETAG = '"v1"'
LAST_MODIFIED = "Mon, 01 Jan 2024 00:00:00 GMT"
TIMEOUT = 0.3  # the slow endpoints wait longer than this
SLOW = 1.0


class FeedHandler(BaseHTTPRequestHandler):
    """A publisher with one list and every way a pull can go wrong, one path each."""

    protocol_version = "HTTP/1.1"
    requests_seen: list[dict[str, str]] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's method name
        self.requests_seen.append(dict(self.headers))
        route = {
            "/list.txt": self._list,
            "/list.txt.gz": lambda: self._send(200, gzip.compress(LIST), "application/gzip"),
            "/encoded": self._encoded,
            "/missing.txt": lambda: self._send(404, b"not here"),
            "/broken": lambda: self._send(500, b"boom"),
            "/old-place": lambda: self._redirect("/list.txt"),
            "/loop": lambda: self._redirect("/loop"),
            "/slow": self._slow_headers,
            "/slow-body": self._slow_body,
            "/big-declared": lambda: self._send(200, b"x" * 5000),
            "/big-streamed": self._big_streamed,
            "/bomb.gz": lambda: self._send(200, gzip.compress(b"0" * 2_000_000)),
            "/bad.gz": lambda: self._send(200, b"\x1f\x8bnot really gzip"),
        }.get(self.path)
        if route is None:
            self._send(404, b"no route")
        else:
            route()

    def _list(self) -> None:
        if self.headers.get("If-None-Match") == ETAG:
            self.send_response(304)
            self.send_header("ETag", ETAG)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self._send(200, LIST, "text/plain", {"ETag": ETAG, "Last-Modified": LAST_MODIFIED})

    def _encoded(self) -> None:
        self._send(200, gzip.compress(LIST), "text/plain", {"Content-Encoding": "gzip"})

    def _redirect(self, to: str) -> None:
        self.send_response(301)
        self.send_header("Location", to)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _slow_headers(self) -> None:
        time.sleep(SLOW)
        self._send(200, LIST)

    def _slow_body(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(LIST) * 2))
        self.end_headers()
        self.wfile.write(LIST)
        self.wfile.flush()
        time.sleep(SLOW)
        self.wfile.write(LIST)

    def _big_streamed(self) -> None:
        # No Content-Length: the client only learns the size by reading.
        self.send_response(200)
        self.send_header("Connection", "close")
        self.end_headers()
        for _ in range(100):
            self.wfile.write(b"y" * 1000)
        self.close_connection = True

    def _send(self, status, body, content_type="text/plain", headers=None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args) -> None:  # noqa: A002 - the base class's signature
        pass


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request, client_address) -> None:
        pass  # the client hanging up on a slow endpoint is the point of that test


@contextlib.contextmanager
def running(server: QuietServer) -> Iterator[int]:
    with http_server.running(server):
        yield server.server_address[1]


@pytest.fixture(scope="module")
def feed_server() -> Iterator[str]:
    with running(QuietServer(("127.0.0.1", 0), FeedHandler)) as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture
def feed(feed_server) -> str:
    FeedHandler.requests_seen = []
    return feed_server


# ---- http ------------------------------------------------------------------------------


def test_it_returns_a_new_list_with_its_validators(feed):
    result = fetch(f"{feed}/list.txt", user_agent="citysoc/test")
    assert result.status == "new"
    assert result.body == LIST
    assert (result.etag, result.last_modified) == (ETAG, LAST_MODIFIED)
    assert result.sha256 == hashlib.sha256(LIST).hexdigest()
    assert (result.http_status, result.content_type) == (200, "text/plain")
    assert result.final_url == f"{feed}/list.txt"
    assert result.elapsed > 0
    assert FeedHandler.requests_seen[0]["User-Agent"] == "citysoc/test"


def test_it_sends_the_stored_validators_and_understands_304(feed):
    result = fetch(f"{feed}/list.txt", etag=ETAG, last_modified=LAST_MODIFIED)
    assert (result.status, result.body, result.sha256) == ("not_modified", None, "")
    assert (result.http_status, result.etag, result.last_modified) == (304, ETAG, LAST_MODIFIED)
    sent = FeedHandler.requests_seen[0]
    assert (sent["If-None-Match"], sent["If-Modified-Since"]) == (ETAG, LAST_MODIFIED)


def test_same_checksum_as_last_time_is_not_modified(feed):
    first = fetch(f"{feed}/list.txt")
    again = fetch(f"{feed}/list.txt", previous_sha256=first.sha256)
    assert (again.status, again.body, again.sha256) == ("not_modified", None, first.sha256)
    assert again.http_status == 200


def test_a_changed_checksum_is_new(feed):
    result = fetch(f"{feed}/list.txt", previous_sha256="0" * 64)
    assert result.status == "new"


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [("/missing.txt", 404, "check the URL"), ("/broken", 500, "next pull will try again")],
)
def test_http_errors_name_the_status_and_the_url(feed, path, status, words):
    with pytest.raises(FetchError) as caught:
        fetch(feed + path)
    message = str(caught.value)
    assert message.startswith(f"HTTP {status} ")
    assert feed + path in message
    assert words in message
    assert (caught.value.kind, caught.value.http_status) == ("http", status)


def test_it_follows_a_redirect(feed):
    result = fetch(f"{feed}/old-place")
    assert result.body == LIST
    assert result.final_url == f"{feed}/list.txt"


def test_a_redirect_loop_stops_after_five(feed):
    with pytest.raises(FetchError, match="redirected more than 5 times"):
        fetch(f"{feed}/loop")
    assert len(FeedHandler.requests_seen) == 6


@pytest.mark.parametrize("path", ["/slow", "/slow-body"])
def test_a_silent_server_times_out(feed, path):
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out") as caught:
        fetch(feed + path, timeout=TIMEOUT)
    assert caught.value.kind == "timeout"
    assert feed + path in str(caught.value)
    assert time.monotonic() - started < SLOW


@pytest.mark.parametrize("path", ["/big-declared", "/big-streamed"])
def test_a_body_over_the_limit_is_refused_and_says_how_to_raise_it(feed, path):
    with pytest.raises(FetchError, match="limit of 4,096 bytes") as caught:
        fetch(feed + path, max_bytes=4096)
    assert "FEED_MAX_MB" in str(caught.value)
    assert caught.value.kind == "too_large"


def test_a_gz_file_is_decompressed(feed):
    result = fetch(f"{feed}/list.txt.gz")
    assert result.body == LIST
    assert result.sha256 == hashlib.sha256(LIST).hexdigest()


def test_gzip_content_encoding_is_decoded(feed):
    assert fetch(f"{feed}/encoded").body == LIST


def test_a_gz_file_that_inflates_past_the_limit_is_refused(feed):
    with pytest.raises(FetchError, match="after decompressing"):
        fetch(f"{feed}/bomb.gz", max_bytes=100_000)


def test_a_broken_gz_file_is_reported(feed):
    with pytest.raises(FetchError, match="not a valid .gz file"):
        fetch(f"{feed}/bad.gz")


def test_a_closed_port_says_it_could_not_connect():
    port = free_port()
    url = f"http://127.0.0.1:{port}/list.txt"
    with pytest.raises(FetchError) as caught:
        fetch(url, timeout=2)
    assert str(caught.value).startswith(f"Could not connect to {url}: Connection refused. ")
    assert caught.value.kind == "connect"


def test_a_name_that_does_not_resolve_is_reported_as_dns(monkeypatch):
    # A real lookup would leave 127.0.0.1, so the resolver is made to fail as it does
    # for an unknown name.
    def no_such_name(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_name)
    with pytest.raises(FetchError, match="'feeds.example' .* could not be resolved") as caught:
        fetch("https://feeds.example/drop.txt")
    assert caught.value.kind == "dns"


def test_errors_never_repeat_a_password_or_api_key(feed):
    host = feed.removeprefix("http://")
    with pytest.raises(FetchError) as caught:
        fetch(f"http://officer:hunter2@{host}/missing.txt?apikey=s3cret&day=1")
    message = str(caught.value)
    assert "hunter2" not in message and "s3cret" not in message
    assert f"http://officer:***@{host}/missing.txt?apikey=***&day=1" in message
    assert "s3cret" not in caught.value.url


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/list.txt", "list.txt", "javascript:alert(1)"])
def test_other_schemes_are_refused(url):
    with pytest.raises(FetchError, match="not an http://, https:// or file:// address"):
        fetch(url)


# ---- https -----------------------------------------------------------------------------


@pytest.fixture
def tls_feed(tmp_path) -> Iterator[tuple[str, str]]:
    """The same publisher over HTTPS with a self-signed certificate: (base URL, cert file)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed, so no certificate can be made for the TLS test")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    server = QuietServer(("127.0.0.1", 0), FeedHandler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    with running(server) as port:
        yield f"https://127.0.0.1:{port}", str(cert)


def test_an_untrusted_certificate_is_a_tls_error(tls_feed):
    base, _ = tls_feed
    with pytest.raises(FetchError) as caught:
        fetch(f"{base}/list.txt")
    assert str(caught.value).startswith(
        f"TLS check failed for {base}/list.txt: certificate verify failed: self-signed"
    )
    assert "CA bundle" in str(caught.value)
    assert caught.value.kind == "tls"


def test_a_private_ca_bundle_is_accepted(tls_feed):
    base, cert = tls_feed
    assert fetch(f"{base}/list.txt", verify_tls=cert).body == LIST


# ---- file:// ---------------------------------------------------------------------------


def test_a_dropped_file_is_read_with_its_mtime_as_last_modified(tmp_path):
    path = tmp_path / "botnet 2024-01.csv"
    path.write_bytes(LIST)
    os.utime(path, (1704067200, 1704067200))
    result = fetch(path.as_uri())
    assert (result.status, result.body) == ("new", LIST)
    assert result.last_modified == formatdate(1704067200, usegmt=True)
    assert result.last_modified == "Mon, 01 Jan 2024 00:00:00 GMT"
    assert result.http_status == 0


def test_a_dropped_file_unchanged_since_last_pull_is_not_modified(tmp_path):
    path = tmp_path / "list.txt"
    path.write_bytes(LIST)
    first = fetch(path.as_uri())
    assert fetch(path.as_uri(), previous_sha256=first.sha256).status == "not_modified"


def test_a_dropped_gz_file_is_decompressed(tmp_path):
    path = tmp_path / "list.txt.gz"
    path.write_bytes(gzip.compress(LIST) + gzip.compress(b"192.0.2.1\n"))  # two members
    assert fetch(path.as_uri()).body == LIST + b"192.0.2.1\n"


def test_a_dropped_file_over_the_limit_is_refused(tmp_path):
    path = tmp_path / "list.txt"
    path.write_bytes(b"z" * 5000)
    with pytest.raises(FetchError, match="FEED_MAX_MB"):
        fetch(path.as_uri(), max_bytes=4096)


def test_a_missing_file_says_what_to_check(tmp_path):
    with pytest.raises(FetchError, match="does not exist: check that the file was copied"):
        fetch((tmp_path / "nothing.csv").as_uri())


def test_a_folder_is_not_a_feed_file(tmp_path):
    with pytest.raises(FetchError, match="is a folder"):
        fetch(tmp_path.as_uri())


def test_a_file_url_on_another_machine_is_refused():
    with pytest.raises(FetchError, match="names another machine"):
        fetch("file://fileserver/share/list.txt")


# ---- staleness -------------------------------------------------------------------------

NOW = datetime(2024, 3, 1, tzinfo=UTC)
MONTH = timedelta(days=31)


@pytest.mark.parametrize(
    ("last_new", "expected"),
    [
        (None, "never"),
        (NOW - timedelta(days=40), "ok"),
        (NOW - 2 * MONTH, "ok"),
        (NOW - 2 * MONTH - timedelta(seconds=1), "late"),
    ],
)
def test_a_source_that_stops_updating_is_late(last_new, expected):
    assert staleness(last_new, NOW, MONTH) == expected


def test_staleness_needs_a_positive_interval():
    with pytest.raises(ValueError, match="positive"):
        staleness(NOW, NOW, timedelta(0))
