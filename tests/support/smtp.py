"""A real SMTP server on 127.0.0.1 for tests that send mail (no mocked backend)."""

from __future__ import annotations

import contextlib
import email
import logging
from collections.abc import Iterator
from email.message import Message

from aiosmtpd.controller import Controller

from tests.support.ports import free_port


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@contextlib.contextmanager
def smtp_server() -> Iterator[tuple[int, list[Message]]]:
    """Yield (port, messages) of a running SMTP server that keeps what it receives."""
    # aiosmtpd logs "connection lost" from its own thread, sometimes after pytest has
    # closed the test's log capture: keep its chatter out while the server runs.
    server_log = logging.getLogger("mail.log")
    level = server_log.level
    server_log.setLevel(logging.WARNING)
    inbox = _Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, inbox.messages
    finally:
        controller.stop()
        server_log.setLevel(level)
