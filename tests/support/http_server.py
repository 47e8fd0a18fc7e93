"""A local HTTP server on 127.0.0.1 for the tests that talk HTTP: one way to run and stop it.

`serve_forever` looks for a shutdown request once per poll interval, half a second unless
told otherwise, and `shutdown()` waits for that look: each test that stopped a server with
the default waited up to 0.5 s for nothing (about 12 s of a run, spread over 40 tests).
"""

from __future__ import annotations

import contextlib
import socketserver
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TypeVar

# How often a running server looks for `shutdown()`: the longest a stop waits.
POLL_SECONDS = 0.05

Server = TypeVar("Server", bound=socketserver.BaseServer)


def start(server: socketserver.BaseServer) -> threading.Thread:
    """Serve `server` from a daemon thread; stop it with `stop(server)`."""
    thread = threading.Thread(target=server.serve_forever, args=(POLL_SECONDS,), daemon=True)
    thread.start()
    return thread


def stop(server: socketserver.BaseServer) -> None:
    server.shutdown()
    server.server_close()


@contextlib.contextmanager
def running(server: Server) -> Iterator[Server]:
    """`server` served for the duration of the block, then stopped and closed."""
    start(server)
    try:
        yield server
    finally:
        stop(server)


@contextlib.contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """A threading server on a free loopback port answering with `handler`; yields its URL."""
    with running(ThreadingHTTPServer(("127.0.0.1", 0), handler)) as server:
        yield f"http://127.0.0.1:{server.server_address[1]}"
