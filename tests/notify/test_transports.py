"""Every channel kind has a transport (each kind's own tests: tests/notify/transports/)."""

from __future__ import annotations

import datetime as dt

from citysoc.notify import outbox
from citysoc.notify.models import Channel
from citysoc.notify.transports import TRANSPORTS

NOW = dt.datetime(2027, 3, 1, 2, 0, tzinfo=dt.UTC)


def _send(channel, subject="Máy 10.0.0.5 nhiễm botnet", body="Xử lý trước 17h."):
    message = outbox.enqueue(subject, body, [channel], topic="intel.cleanup")
    report = outbox.send_due(now=NOW + dt.timedelta(seconds=1))
    return message, report


def test_every_channel_kind_has_a_transport():
    assert set(TRANSPORTS) == set(Channel.Kind.values)
