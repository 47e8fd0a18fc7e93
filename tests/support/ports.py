"""One way for a test to pick a port for a server it starts on 127.0.0.1.

A port taken from the kernel with `bind(0)` is free only until the socket is closed: the
kernel hands the same range out again for every other `bind(0)` and for the source port of
every outgoing connection, and the two xdist workers do both all the time (live servers,
SMTP servers, HTTP clients). A served hub that lost its port that way exits, and the test
that waited for "a page answers" was answered by the other worker's server, then failed
later with "connection refused". So the ports handed out here come from below the kernel's
ephemeral range, which nothing assigns on its own, and are checked free before use.
"""

from __future__ import annotations

import random
import socket
from pathlib import Path

_RANGE_FILE = Path("/proc/sys/net/ipv4/ip_local_port_range")
_LOWEST = 10_000


def _ephemeral_start() -> int:
    try:
        return int(_RANGE_FILE.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32_768  # Linux's default; other systems start higher still


def free_port(kind: int = socket.SOCK_STREAM) -> int:
    """A port on 127.0.0.1 that is free now and that the kernel does not hand out by itself."""
    top = _ephemeral_start()
    for _ in range(200):
        port = random.randrange(_LOWEST, top)  # noqa: S311 - not a secret, just spread
        with socket.socket(socket.AF_INET, kind) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port on 127.0.0.1 between {_LOWEST} and {top}")
