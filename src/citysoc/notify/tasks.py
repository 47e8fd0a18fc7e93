"""Background entry points of notifications: call one function, nothing else."""

from __future__ import annotations

import os
import socket
from dataclasses import asdict
from typing import Any

from django_tasks import task

from citysoc.notify import outbox


@task()
def send_outbox() -> dict[str, Any]:
    return asdict(outbox.send_due(worker=f"{socket.gethostname()}:{os.getpid()}"))
