"""Malware sweep in the tenancy sweep: one ward's agent, token, campaign, result and hit."""

from __future__ import annotations

from django.utils import timezone

from citysoc.inventory.models import Host
from citysoc.sweep import enrolment
from citysoc.sweep.models import Agent, Campaign, Hit, Job, Result

MODELS = {
    "agents": "agent",
    "sweeps": "campaign",
    "sweep-results": "sweepresult",
    "sweep-hosts": "sweephost",
}
POST_ONLY = {
    "sweep:host-bundle",
    "sweep:token-create",
    "sweep:campaign-create",
    "sweep:result-upload",
    # The agent's own endpoints: a token or an HMAC signature, never a user's session.
    "sweep-agent-enrol",
    "sweep-agent-jobs",
    "sweep-agent-heartbeat",
    "sweep-agent-results",
}


def build(unit, officer, letter: str, third_octets: str) -> dict[str, int]:
    now = timezone.now()
    host = Host.objects.create(
        unit=unit, hostname=f"mark-{letter.lower()}-pc", ipv4=f"{third_octets}.40"
    )
    enrolment.create_token(unit, note=f"MARK-{letter} token")
    agent = Agent.objects.create(
        unit=unit,
        host=host,
        key=f"ag_mark{letter.lower()}",
        secret="0" * 64,
        hostname=f"mark-{letter.lower()}-pc",
        ips=[f"{third_octets}.40"],
        users=[f"MARK-{letter}"],
    )
    campaign = Campaign.objects.create(unit=unit, name=f"MARK-{letter} sweep")
    job = Job.objects.create(unit=unit, campaign=campaign, agent=agent)
    result = Result.objects.create(
        unit=unit,
        agent=agent,
        host=host,
        job=job,
        campaign=campaign,
        via="online",
        body_sha256=f"mark{letter}",
        verdict="infected",
        started_at=now,
        finished_at=now,
        hit_count=1,
    )
    Hit.objects.create(
        unit=unit,
        result=result,
        check_name="yara",
        kind="file",
        score=90,
        title=f"MARK-{letter} webshell",
        path=f"/var/www/mark-{letter.lower()}/shell.php",
    )
    return {
        "agent": agent.pk,
        "campaign": campaign.pk,
        "sweepresult": result.pk,
        "sweephost": host.pk,
    }
