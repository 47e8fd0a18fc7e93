"""A worker killed with SIGKILL in the middle of a send: the row is sent again, once.

Real separate processes on a real SQLite file, and a gateway on 127.0.0.1 that hangs:
- before reading the request (the message never reached it): after STALE_AFTER the
  next run delivers it exactly once;
- after reading it (the message did reach it, no answer came back): the next run sends
  it again — the at-least-once window, which cannot be closed from our side — with the
  same Idempotency-Key, so a receiver that de-duplicates shows it once.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.notify.conftest import FakeApi
from tests.support.ports import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def data_dir(migrated_hub, tmp_path) -> Path:
    migrated_hub(tmp_path)
    return tmp_path


def _env(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return env | {"CITYSOC_DATA_DIR": str(folder), "DJANGO_SETTINGS_MODULE": "citysoc.settings"}


def _child(folder: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.notify.worker_child", *args],
        cwd=ROOT,
        env=_env(folder),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _run(folder: Path, *args: str) -> list[dict]:
    child = _child(folder, *args)
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


class HangingGateway:
    """Accepts connections and never answers; `read` says whether it reads the request."""

    def __init__(self, port: int, *, read: bool) -> None:
        self.read = read
        self.requests: list[bytes] = []
        self.arrived = threading.Event()
        self._connections: list[socket.socket] = []
        self._listener = socket.create_server(("127.0.0.1", port))
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        try:
            connection, _ = self._listener.accept()
        except OSError:
            return
        self._connections.append(connection)
        if self.read:
            self.requests.append(_read_request(connection))
        self.arrived.set()

    def close(self) -> None:
        for connection in self._connections:
            connection.close()
        self._listener.close()


def _read_request(connection: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        data += connection.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length")
    )
    while len(body) < length:
        body += connection.recv(65536)
    return head + b"\r\n\r\n" + body


def _kill_mid_send(data_dir: Path, port: int, *, read: bool) -> HangingGateway:
    gateway = HangingGateway(port, read=read)
    worker = _child(data_dir, "send", "0")
    try:
        assert gateway.arrived.wait(30), "the worker never reached the gateway"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL
    gateway.close()
    return gateway


@pytest.mark.parametrize("gateway_read_it", [False, True], ids=["before-hand-over", "after"])
def test_a_worker_killed_mid_send_is_resumed_after_the_stale_timeout(data_dir, gateway_read_it):
    port = free_port()
    _run(data_dir, "setup", f"http://127.0.0.1:{port}/hook")
    hanging = _kill_mid_send(data_dir, port, read=gateway_read_it)
    gateway = FakeApi(port=port)
    gateway.start()
    try:
        # 5 minutes on, the killed worker might still be working; at 16, STALE_AFTER
        # (15 minutes) has passed; at 120, nothing is left to send.
        early, later, again = _run(data_dir, "send", "5", "16", "120")
    finally:
        gateway.stop()
    assert early["claimed"] == 0
    assert [r["status"] for r in early["rows"]] == ["sending"]
    assert (later["claimed"], later["sent"], again["claimed"]) == (1, 1, 0)
    (row,) = again["rows"]
    assert (row["status"], row["attempts"]) == ("sent", 2)
    (delivered,) = gateway.received
    key = delivered.headers["Idempotency-Key"]
    assert key == f"citysoc-delivery-{row['id']}"
    if gateway_read_it:
        # The at-least-once window: the first copy got there too, with the same key.
        (first,) = hanging.requests
        assert f"Idempotency-Key: {key}".encode() in first
    else:
        assert hanging.requests == []
