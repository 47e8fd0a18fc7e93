"""Shared by the channel-kind tests: the golden files and one send through the outbox."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from citysoc.notify import outbox

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "notify"
NOW = dt.datetime(2027, 3, 1, 2, 0, tzinfo=dt.UTC)
SUBJECT, BODY = "Máy 10.0.0.5 nhiễm botnet", "Xử lý trước 17h."


def golden(name: str):
    """A fixture file: JSON parsed, anything else as text."""
    path = FIXTURES / name
    return json.loads(path.read_text("utf-8")) if path.suffix == ".json" else path.read_text()


def send(channel, subject: str = SUBJECT, body: str = BODY):
    message = outbox.enqueue(subject, body, [channel], topic="intel.cleanup")
    report = outbox.send_due(now=NOW + dt.timedelta(seconds=1))
    return message, report
