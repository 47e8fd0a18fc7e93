"""A verified result becomes a Result with its hits, and the host's clean-up work moves.

Verdict (recomputed here from the hits' scores, not taken from the agent): infected at 80
or more, suspicious at 40 or more, else clean. An infected host opens or updates the same
clean-up task as the botnet loop (one per unit and address, `intel.cleanup`): the open task
the unit tied to this host (the listed address is often the NAT address it sits behind),
else the task of the host's own address. A clean sweep after the unit reported the host
cleaned verifies its tasks.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from citysoc.intel import cleanup
from citysoc.intel.models import CleanupTask, IndicatorSource, ListVersion
from citysoc.notify import reach
from citysoc.sweep.jobs import SWEEP_SOURCE, sha256
from citysoc.sweep.models import Agent, Hit, Job, Result, Verdict
from citysoc.sweep.signatures import Signed

logger = logging.getLogger(__name__)

INFECTED, SUSPICIOUS = 80, 40
MAX_HITS = 1000
HIT_FIELDS = {"title": 300, "path": 1000, "sha256": 64, "md5": 32, "rule": 300, "remote": 300}


def verdict_of(scores: list[int]) -> str:
    top = max(scores, default=0)
    if top >= INFECTED:
        return Verdict.INFECTED
    return Verdict.SUSPICIOUS if top >= SUSPICIOUS else Verdict.CLEAN


def _when(value: Any, default: dt.datetime) -> dt.datetime:
    parsed = parse_datetime(str(value or ""))
    if parsed is None or parsed.utcoffset() is None:
        return default
    return parsed


def _hit(raw: dict[str, Any]) -> dict[str, Any]:
    fields = {k: str(raw.get(k) or "")[:size] for k, size in HIT_FIELDS.items()}
    try:
        score = max(0, min(100, int(raw.get("score", 0))))
    except (TypeError, ValueError):
        score = 0
    detail = raw.get("detail")
    if not isinstance(detail, dict):
        detail = {}
    return {
        **fields,
        "check_name": str(raw.get("check", ""))[:40],
        "kind": str(raw.get("kind", ""))[:20],
        "score": score,
        "process": str(raw.get("process") or "")[:200],
        "detail": {**detail, "pid": raw.get("pid")} if raw.get("pid") else detail,
    }


def ingest(signed: Signed, *, via: str) -> tuple[Result, bool]:
    """Store one signed result; (result, created). The same body again returns the first."""
    found = Result.objects.filter(agent=signed.agent, body_sha256=signed.body_sha256).first()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            result = _store(signed, via)
            _move_tasks(result)
    except IntegrityError:  # the same file uploaded twice at once
        return Result.objects.get(agent=signed.agent, body_sha256=signed.body_sha256), False
    _tell_unit(result)
    return result, True


def _store(signed: Signed, via: str) -> Result:
    agent, payload, now = signed.agent, signed.payload, timezone.now()
    hits = [_hit(h) for h in list(payload.get("hits") or [])[:MAX_HITS] if isinstance(h, dict)]
    stats = payload.get("stats")
    if not isinstance(stats, dict):
        stats = {}
    job = _job(agent, payload.get("job"))
    result = Result.objects.create(
        unit=agent.unit,
        agent=agent,
        host=agent.host,
        job=job,
        campaign=job.campaign if job else None,
        via=via,
        body_sha256=signed.body_sha256,
        verdict=verdict_of([h["score"] for h in hits]),
        started_at=_when(payload.get("started_at"), now),
        finished_at=_when(payload.get("finished_at"), now),
        files=int(stats.get("files") or 0),
        connections=int(payload.get("connections") or 0),
        hit_count=len(hits),
        complete=not stats.get("stopped"),
        checks=payload.get("checks") if isinstance(payload.get("checks"), dict) else {},
        summary={"stats": stats, **(payload.get("summary") or {})},
    )
    Hit.objects.bulk_create(Hit(unit=agent.unit, result=result, **h) for h in hits)
    if job is not None:
        Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE, done_at=now)
    Agent.objects.filter(pk=agent.pk).update(
        last_seen=now,
        agent_version=str(payload.get("agent_version", ""))[:40] or agent.agent_version,
    )
    return result


def _job(agent: Agent, job_id: Any) -> Job | None:
    if not isinstance(job_id, int):
        return None
    return Job.objects.select_related("campaign").filter(pk=job_id, agent=agent).first()


def _addresses(result: Result) -> list[str]:
    host = result.host
    return [ip for ip in (host.ipv4, host.ipv6) if ip] or list(result.agent.ips[:1])


def host_tasks(result: Result) -> QuerySet[CleanupTask]:
    """The host's clean-up tasks: those the unit tied to it (a listed NAT address the host
    sits behind), and those of its own addresses."""
    return CleanupTask.objects.filter(
        Q(host_id=result.host_id) | Q(ip__in=_addresses(result)), unit_id=result.unit_id
    )


def _move_tasks(result: Result) -> None:
    tasks = host_tasks(result)
    if result.verdict == Verdict.INFECTED:
        tied = tasks.filter(status__in=CleanupTask.OPEN_STATES).order_by("pk").first()
        ip = tied.ip if tied else (_addresses(result) or [""])[0]
        if ip:
            _open(result, ip)
    elif result.verdict == Verdict.CLEAN:
        tasks.filter(status=CleanupTask.Status.CLEANED, cleaned_at__lte=result.started_at).update(
            status=CleanupTask.Status.VERIFIED, verified_at=timezone.now()
        )
    result.tasks.set(host_tasks(result))


def sweep_version() -> ListVersion:
    """Today's version of the sweep's own source: the tasks the sweep opens hang on it."""
    with translation.override(settings.LANGUAGE_CODE):  # shown on the botnet lists page
        description = _("Hosts the sweep agent found infected")
    source, _created = IndicatorSource.objects.get_or_create(
        name=SWEEP_SOURCE, defaults={"description": description, "format": "sweep"}
    )
    today = timezone.localdate().isoformat()
    version, _created = ListVersion.objects.get_or_create(
        source=source,
        sha256=sha256(f"{SWEEP_SOURCE}:{today}"),
        defaults={
            "period": today,  # shown after the source's name, which says "sweep"
            "filename": f"sweep-{today}.json",
            "status": ListVersion.Status.DONE,
            "finished_at": timezone.now(),
        },
    )
    return version


def _open(result: Result, ip: str) -> None:
    top = result.hits.order_by("-score", "id").first()
    family = (top.rule or top.title)[:100] if top else ""
    sighting = cleanup.Observation(
        unit_id=result.unit_id,
        host_id=result.host_id,
        ip=ip,
        family=family,
        is_c2=False,
        last_seen=result.finished_at,
    )
    cleanup.apply_sightings(sweep_version(), [sighting], cleanup.Outcome(0))


def _tell_unit(result: Result) -> None:
    if result.verdict != Verdict.INFECTED:
        return
    lines = [
        f"- [{h.score}] {h.title} {h.path or h.remote}".strip() for h in result.hits.all()[:20]
    ]
    subject = _("[citysoc] Malware found on %s") % result.host.hostname
    body = "\n".join(
        [
            _("The sweep of %(host)s found:") % {"host": result.host.hostname},
            "",
            *lines,
            "",
            _("Clean the host, report it cleaned on its clean-up task, then sweep it again."),
        ]
    )
    reach.tell_unit(
        result.unit,
        subject,
        body,
        topic="intel.cleanup",
        roles=cleanup.RECIPIENT_ROLES,
        security_lead=True,
        dedup_key=f"sweep.result:{result.pk}",
        related=result,
    )
