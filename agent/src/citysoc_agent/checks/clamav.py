"""ClamAV through the host's own clamd (INSTREAM over its local socket), when it runs.

The file's bytes go only to the local clamd, never off the host. Skipped when no clamd
answers PING on the job's socket or the usual places.
"""

from __future__ import annotations

import socket
import struct
import sys
from typing import Any

from citysoc_agent.checks.base import Context, FileItem, Finding, Skip

NAME = "clamav"
LABEL = "ClamAV (clamd)"
SCOPE = "file"
SOCKETS = (
    "/run/clamav/clamd.ctl",
    "/var/run/clamav/clamd.ctl",
    "/var/run/clamd.scan/clamd.sock",
    "127.0.0.1:3310",
)
CHUNK = 1 << 16


def prepare(ctx: Context) -> str:
    candidates = [ctx.job["clamd"]] if ctx.job.get("clamd") else list(SOCKETS)
    for address in candidates:
        try:
            if _ask(address, b"zPING\0") == b"PONG":
                return str(address)
        except OSError:
            continue
    raise Skip("no clamd answers on " + ", ".join(candidates))


def _connect(address: str) -> socket.socket:
    if ":" in address and not address.startswith("/"):
        host, port = address.rsplit(":", 1)
        return socket.create_connection((host, int(port)), timeout=60)
    if sys.platform == "win32":
        raise OSError("unix sockets are not available")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(60)
    sock.connect(address)
    return sock


def _ask(address: str, command: bytes, data: bytes | None = None) -> bytes:
    with _connect(address) as sock:
        sock.sendall(command)
        if data is not None:
            for i in range(0, len(data), CHUNK):
                piece = data[i : i + CHUNK]
                sock.sendall(struct.pack("!L", len(piece)) + piece)
            sock.sendall(struct.pack("!L", 0))
        reply = b""
        while not reply.endswith(b"\0"):
            got = sock.recv(4096)
            if not got:
                break
            reply += got
    return reply.rstrip(b"\0").strip()


def run(prepared: Any, item: FileItem | None) -> list[Finding]:
    assert item is not None  # noqa: S101 - a file check
    try:
        reply = _ask(prepared, b"zINSTREAM\0", item.data).decode(errors="replace")
    except OSError:
        return []
    if not reply.endswith("FOUND"):
        return []
    signature = reply.split(":", 1)[-1].rsplit(" ", 1)[0].strip()
    return [
        Finding(
            check=NAME,
            kind="file",
            score=100,
            title=f"ClamAV: {signature}",
            path=item.path,
            sha256=item.sha256,
            md5=item.md5,
            rule=signature,
        )
    ]
