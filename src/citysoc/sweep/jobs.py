"""What an agent is told to do: campaigns become jobs; a job becomes a spec the agent runs.

The spec carries everything the checks need, so the same spec runs online or inside an
offline bundle: the paths and limits, the current YARA/hash/file-name rule sets, and the
C2 addresses and domains of the latest version of every indicator list (from intel).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from citysoc.core.models import Unit
from citysoc.intel.models import CleanupTask, Indicator, IndicatorSource, ListVersion
from citysoc.sweep.models import Agent, Campaign, Job, RuleSet

SWEEP_SOURCE = "citysoc-agent sweep"  # the intel source that sweep-opened tasks hang on
IP_KINDS = ("ipv4", "ipv6")
HASH_KINDS = ("md5", "sha1", "sha256")
MAX_INDICATORS = 200_000


def latest_versions() -> list[ListVersion]:
    """The newest finished version of every indicator source but the sweep's own."""
    versions = []
    for source in IndicatorSource.objects.exclude(name=SWEEP_SOURCE).order_by("name"):
        version = source.versions.filter(status=ListVersion.Status.DONE).order_by("-id").first()
        if version is not None:
            versions.append(version)
    return versions


def indicators(versions: list[ListVersion]) -> dict[str, Any]:
    """C2 addresses and domains, and file hashes, of these list versions."""
    addresses: set[str] = set()
    domains: set[str] = set()
    hashes: dict[str, str] = {}
    rows = Indicator.objects.filter(version__in=versions).values_list(
        "value", "kind", "is_c2", "c2", "family"
    )
    for value, kind, is_c2, c2, family in rows[:MAX_INDICATORS]:
        if kind in IP_KINDS and is_c2:
            addresses.add(value)
        elif kind == "domain":
            domains.add(value.lower())
        elif kind in HASH_KINDS:
            hashes[value.lower()] = family
        if c2:
            (addresses if c2[0].isdigit() or ":" in c2 else domains).add(c2.lower())
    label = "; ".join(str(v) for v in versions)
    return {
        "version": label,
        "addresses": sorted(addresses),
        "domains": sorted(domains),
        "hashes": [{"hash": h, "description": f} for h, f in sorted(hashes.items())],
    }


def rule_sets() -> dict[str, Any]:
    """The newest active version of every rule set, by kind."""
    newest: dict[str, RuleSet] = {}
    for ruleset in RuleSet.objects.filter(active=True).order_by("name", "-version"):
        newest.setdefault(ruleset.name, ruleset)
    spec: dict[str, list[dict[str, Any]]] = {"yara": [], "hashes": [], "filename_iocs": []}
    for ruleset in newest.values():
        if ruleset.kind == RuleSet.Kind.YARA:
            spec["yara"].append(
                {"name": ruleset.name, "version": ruleset.version, "source": ruleset.text}
            )
        elif ruleset.kind == RuleSet.Kind.HASHES:
            spec["hashes"] += [{"hash": h, "description": d} for h, d in _lines(ruleset.text, "")]
        else:
            spec["filename_iocs"] += [
                {"regex": r, "score": int(s) if s.isdigit() else 60, "description": ruleset.name}
                for r, s in _lines(ruleset.text, "60")
            ]
    return spec


def _lines(text: str, default: str) -> list[tuple[str, str]]:
    """Loki's `VALUE;SECOND` lines; blank lines and # comments skipped."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            value, _, second = line.partition(";")
            out.append((value.strip(), second.strip() or default))
    return out


def spec_for(job: Job | None, campaign: Campaign | None = None) -> dict[str, Any]:
    """The job as the agent runs it (a None job: an ad-hoc sweep with the defaults)."""
    campaign = job.campaign if job else campaign
    listed = indicators(latest_versions())
    rules = rule_sets()
    spec: dict[str, Any] = {
        "id": job.pk if job else None,
        "campaign": campaign.pk if campaign else None,
        "indicators": {k: listed[k] for k in ("version", "addresses", "domains")},
        "yara": rules["yara"],
        "hashes": rules["hashes"] + listed["hashes"],
        "filename_iocs": rules["filename_iocs"],
    }
    if campaign is not None:
        spec.update(max_files=campaign.max_files, max_seconds=campaign.max_seconds)
        if campaign.paths:
            spec["paths"] = campaign.paths
    return spec


def pending_for(agent: Agent) -> list[Job]:
    """Jobs not done yet for this agent, marked as handed over."""
    jobs = list(
        Job.objects.filter(agent=agent)
        .exclude(status=Job.Status.DONE)
        .select_related("campaign")
        .order_by("priority", "id")[:5]
    )
    Job.objects.filter(pk__in=[j.pk for j in jobs], status=Job.Status.QUEUED).update(
        status=Job.Status.SENT, sent_at=timezone.now()
    )
    return jobs


@transaction.atomic
def start_campaign(
    unit: Unit, *, name: str, by=None, botnet_first: bool = True, **limits
) -> Campaign:
    """A campaign over every active agent of `unit`'s subtree, botnet-task hosts first."""
    campaign = Campaign.objects.create(
        unit=unit, name=name, created_by=by, botnet_first=botnet_first, **limits
    )
    open_task = CleanupTask.objects.filter(
        host_id=OuterRef("host_id"), status__in=CleanupTask.OPEN_STATES
    )
    agents = (
        Agent.objects.filter(unit__path__startswith=unit.path)
        .exclude(status=Agent.Status.RETIRED)
        .annotate(botnet=Exists(open_task))
    )
    Job.objects.bulk_create(
        Job(
            unit_id=a.unit_id,
            campaign=campaign,
            agent=a,
            priority=1 if (botnet_first and a.botnet) else 2,
        )
        for a in agents
    )
    return campaign


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
