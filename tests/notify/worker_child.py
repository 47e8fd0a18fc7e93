"""A separate worker process for test_worker_killed.py (run as `python -m`, not by pytest).

    python -m tests.notify.worker_child setup <url>      a unit, a webhook, one message
    python -m tests.notify.worker_child send <minutes>…  send what is due, the clock moved
                                                         forward by each amount in turn

Prints one JSON line per step: what it did and the delivery rows as the database has them.
"""

from __future__ import annotations

import datetime as dt
import json
import sys

import django


def _rows() -> list[dict]:
    from citysoc.notify.models import Delivery

    return list(Delivery.objects.values("id", "status", "attempts", "claimed_by"))


def setup(url: str) -> dict:
    from citysoc.core.models import Unit
    from citysoc.notify import outbox
    from citysoc.notify.models import Channel

    unit = Unit.objects.create(code="ward-k", name="Phường K", kind=Unit.Kind.WARD)
    channel = Channel.objects.create(unit=unit, kind="webhook", name="SIEM", config={"url": url})
    message = outbox.enqueue("Máy 10.0.0.5 nhiễm botnet", "chi tiết", [channel], topic="t")
    return {"message": message.pk}


def send(minutes: float) -> dict:
    import time_machine
    from django.utils import timezone

    from citysoc.notify import outbox

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=minutes), tick=True):
        report = outbox.send_due(worker="child")
    return {"claimed": report.claimed, "sent": report.sent, "retrying": report.retrying}


def main() -> None:
    from citysoc.lib import outbound

    # The test's webhook receiver listens on 127.0.0.1 (as the `loopback_allowed` fixture).
    outbound.ALLOW_LOOPBACK_FOR_TESTS = True
    django.setup()
    command, arguments = sys.argv[1], sys.argv[2:]
    if command == "setup":
        steps = [lambda: setup(arguments[0])]
    else:
        steps = [lambda minutes=float(a): send(minutes) for a in arguments]
    for step in steps:
        done = step()
        sys.stdout.write(json.dumps({**done, "rows": _rows()}) + "\n")


if __name__ == "__main__":
    main()
