"""tests/support/ports.py: the ports the tests' own servers use stay out of the kernel's way."""

from __future__ import annotations

import socket

from tests.support import ports


def test_a_port_is_free_and_below_the_range_the_kernel_hands_out():
    start = ports._ephemeral_start()
    for _ in range(20):
        port = ports.free_port()
        assert ports._LOWEST <= port < start
        with socket.socket() as s:
            s.bind(("127.0.0.1", port))  # free: binding it again works


def test_a_taken_port_is_not_handed_out(monkeypatch):
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        taken = held.getsockname()[1]
        # Only two candidates: the taken one first, then one that is free.
        picks = iter([taken, taken, ports.free_port()])
        monkeypatch.setattr(ports.random, "randrange", lambda lo, hi: next(picks))
        assert ports.free_port() != taken
