"""The demo city's malware sweep: rule sets, agents on a dozen hosts, a city-wide campaign,
results that opened or verified clean-up tasks, and hosts never swept.

Results go through the real path (a signed envelope, `signatures.verify`, `ingesting.ingest`)
so the demo shows what an agent's upload does. Idempotent: rule sets by (name, version);
the rest is loaded once (when no demo agent exists yet).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import random

from django.utils import timezone

from citysoc.core import demo
from citysoc.core.models import Unit
from citysoc.intel.models import CleanupTask
from citysoc.inventory.models import Host
from citysoc.sweep import ingesting, jobs, rules
from citysoc.sweep.models import Agent, Campaign, Result, RuleSet
from citysoc.sweep.signatures import verify

SEED = 20240208
CLEAN_HOSTS = 8
BUILTIN = """rule EICAR_Test_File {
    meta:
        description = "EICAR anti-virus test file"
        score = 100
    strings:
        $eicar = "EICAR-STANDARD-ANTIVIRUS-TEST-FILE"
    condition:
        $eicar
}

rule PHP_Eval_Post_Webshell {
    meta:
        description = "PHP one-line web shell evaluating POST data"
        severity = "high"
    strings:
        $a = /eval\\s*\\(\\s*\\$_(POST|REQUEST)\\[/
    condition:
        filesize < 100KB and $a
}
"""
FILENAMES = "\\\\(mimikatz|procdump|nc64)\\.exe$;90\n/\\.cache/[a-z]{8}\\.sh$;60\n"
INFECTED_HITS = [
    {"check": "connections", "kind": "connection", "score": 100,
     "title": "connection to listed C2 203.0.113.66:8080", "remote": "203.0.113.66:8080",
     "process": "svchosts.exe", "pid": 4312},
    {"check": "yara", "kind": "file", "score": 90,
     "title": "PHP one-line web shell evaluating POST data",
     "path": "C:\\inetpub\\wwwroot\\upload\\img.php",
     "rule": "citysoc_builtin:PHP_Eval_Post_Webshell",
     "sha256": "9f2c" + "0" * 60},
]  # fmt: skip


def _rule_sets() -> None:
    for name, kind, text in (
        ("citysoc-builtin", RuleSet.Kind.YARA, BUILTIN),
        ("city-filenames", RuleSet.Kind.FILENAMES, FILENAMES),
    ):
        RuleSet.objects.get_or_create(
            name=name,
            version=1,
            defaults={
                "kind": kind,
                "text": text,
                "sha256": jobs.sha256(text),
                "rule_count": rules.count_rules(kind, text),
            },
        )


def _agent(host: Host) -> Agent | None:
    """A new demo agent for `host`; None when it is already there (a second demo load)."""
    secret = hashlib.sha256(f"demo-agent-{host.pk}".encode()).hexdigest()
    agent, created = Agent.objects.get_or_create(
        key=f"ag_demo{host.pk}",
        defaults={
            "unit": host.unit,
            "host": host,
            "secret": secret,
            "hostname": host.hostname,
            "os": host.os or "Windows 10",
            "agent_version": "0.1.0",
            "ips": [ip for ip in (host.ipv4,) if ip],
            "last_seen": timezone.now(),
        },
    )
    return agent if created else None


def _upload(agent: Agent, hits: list[dict], when: dt.datetime, files: int) -> Result:
    payload = {
        "agent_version": "0.1.0",
        "started_at": (when - dt.timedelta(minutes=40)).isoformat(),
        "finished_at": when.isoformat(),
        "stats": {"files": files, "skipped": 12, "stopped": ""},
        "checks": {c: {"status": "ran"} for c in ("connections", "hashes", "yara", "filenames")},
        "connections": 57,
        "hits": hits,
    }
    body = json.dumps({"kind": "result", "payload": payload}, sort_keys=True)
    signature = hmac.new(agent.secret.encode(), body.encode(), hashlib.sha256).hexdigest()
    envelope = {"agent": agent.key, "body": body, "signature": signature}
    return ingesting.ingest(verify(envelope), via=Result.Via.ONLINE)[0]


def _tied_tasks() -> list[CleanupTask]:
    """Botnet tasks with the workstation behind the listed address named, as a unit does
    when it finds the machine: the sweep then works on that task."""
    tasks = list(CleanupTask.objects.select_related("host").order_by("pk")[:40])
    used = {t.host_id for t in tasks if t.host_id}
    for task in tasks:
        if task.host is None:
            hosts = Host.objects.filter(unit_id=task.unit_id).exclude(pk__in=used)
            task.host = hosts.order_by("pk").first()
            if task.host is not None:
                used.add(task.host.pk)
                CleanupTask.objects.filter(pk=task.pk).update(host=task.host)
    return [t for t in tasks if t.host is not None]


def load() -> None:
    _rule_sets()
    rng = random.Random(SEED)  # noqa: S311 - a repeatable demo, not a secret
    city = Unit.objects.filter(parent__isnull=True).order_by("pk").first()
    if city is None or Agent.objects.filter(key__startswith="ag_demo").exists():
        return  # no city yet, or the demo sweep is already there
    now = timezone.now().replace(microsecond=0)
    tasks = _tied_tasks()
    infected = [t.host for t in tasks if t.is_open and t.host is not None][:2]
    cleaned = [t for t in tasks if t.is_open][2:3]
    for host in infected:
        if agent := _agent(host):
            _upload(agent, INFECTED_HITS, now - dt.timedelta(days=1), 48_213)
    for task in cleaned:  # found, cleaned by the unit yesterday, verified by a clean sweep
        if task.host is not None and (agent := _agent(task.host)):
            _upload(agent, INFECTED_HITS[1:], now - dt.timedelta(days=3), 30_112)
            CleanupTask.objects.filter(pk=task.pk).update(
                status=CleanupTask.Status.CLEANED,
                cleaned_at=now - dt.timedelta(days=1),
                tool="citysoc-agent, ClamAV",
                findings="Web shell img.php removed from the upload folder; password changed.",
            )
            _upload(agent, [], now - dt.timedelta(hours=3), 30_540)
    others = list(Host.objects.exclude(pk__in=[h.pk for h in infected]).order_by("pk")[:60])
    for host in rng.sample(others, min(CLEAN_HOSTS, len(others))):
        hours, files = rng.randint(2, 40), rng.randint(9_000, 60_000)
        if agent := _agent(host):
            _upload(agent, [], now - dt.timedelta(hours=hours), files)
    if not Campaign.objects.filter(name="Rà soát mã độc dịp Tết 2024").exists():
        jobs.start_campaign(city, name="Rà soát mã độc dịp Tết 2024")


# Sweep agents on a dozen hosts: two infected (their clean-up tasks), one cleaned.
demo.register("sweep", load, order=110)
