import socket
import struct
import threading

import pytest
from citysoc_agent.checks import clamav
from citysoc_agent.checks.base import Context, Skip

from tests.agent.support import EICAR, FIXTURES, item

REPLIES = (FIXTURES / "clamav/replies.txt").read_text().splitlines()


def _serve(server: socket.socket) -> None:
    """A tiny clamd on 127.0.0.1: PONG, and INSTREAM that finds the EICAR string."""
    while True:
        try:
            conn, _ = server.accept()
        except OSError:
            return
        with conn:
            command = b""
            while not command.endswith(b"\0"):  # the command ends at its NUL, not at a size
                command += conn.recv(1)
            if command.startswith(b"zPING"):
                conn.sendall(b"PONG\0")
                continue
            data = b""
            while True:
                size = struct.unpack("!L", conn.recv(4, socket.MSG_WAITALL))[0]
                if not size:
                    break
                data += conn.recv(size, socket.MSG_WAITALL)
            reply = REPLIES[1] if b"EICAR-STANDARD" in data else REPLIES[0]
            conn.sendall(reply.encode() + b"\0")


@pytest.fixture
def clamd():
    server = socket.create_server(("127.0.0.1", 0))
    threading.Thread(target=_serve, args=(server,), daemon=True).start()
    yield f"127.0.0.1:{server.getsockname()[1]}"
    server.close()


def test_it_sends_the_file_to_the_local_clamd_and_reports_its_signature(clamd):
    prepared = clamav.prepare(Context(job={"clamd": clamd}))
    found = clamav.run(prepared, item("/srv/up/eicar.com", EICAR))
    assert [(f.score, f.rule) for f in found] == [(100, "Eicar-Test-Signature")]
    assert clamav.run(prepared, item("/srv/up/ok.txt", b"fine")) == []


def test_it_skips_when_no_clamd_answers():
    with pytest.raises(Skip, match="no clamd"):
        clamav.prepare(Context(job={"clamd": "127.0.0.1:9"}))
