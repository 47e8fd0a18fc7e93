"""Enrolment: a unit's token turns a host's self-description into an Agent of that unit.

The unit comes from the token and only from it. The host is matched to an existing Host
of that unit (by hostname, then by one of its IP addresses) and otherwise created there; a
host of another unit is never touched, even with the same name or address. A machine
already enrolled in another unit is refused until it is retired there.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from citysoc.core.models import Unit
from citysoc.inventory.models import Host
from citysoc.sweep.models import Agent, EnrolmentToken

TOKEN_DAYS = 7


class Refused(Exception):
    """The server will not accept this request; the message is shown to the agent's user."""

    def __init__(self, message: str, status: int = 403) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class NewToken:
    token: EnrolmentToken
    secret: str  # shown once; only its hash is kept


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(
    unit: Unit, *, by=None, note: str = "", days: int = TOKEN_DAYS, max_uses: int = 100
) -> NewToken:
    """A new enrolment token for `unit`; the secret is returned once and never stored."""
    secret = "cse_" + secrets.token_urlsafe(24)
    token = EnrolmentToken.objects.create(
        unit=unit,
        prefix=secret[:10],
        token_hash=_hash(secret),
        note=note,
        expires_at=timezone.now() + dt.timedelta(days=days),
        max_uses=max_uses,
        created_by=by,
    )
    return NewToken(token, secret)


def _valid_token(secret: str) -> EnrolmentToken:
    token = EnrolmentToken.objects.select_related("unit").filter(token_hash=_hash(secret)).first()
    if token is None or token.revoked:
        raise Refused(_("This enrolment token is not valid. Ask the unit admin for a new one."))
    if token.expires_at <= timezone.now() or token.uses >= token.max_uses:
        raise Refused(_("This enrolment token has expired or is used up. Ask for a new one."))
    return token


def _addresses(facts: dict[str, Any]) -> tuple[list[str], list[str]]:
    v4: list[str] = []
    v6: list[str] = []
    for raw in facts.get("ips", [])[:50]:
        try:
            ip = ipaddress.ip_address(str(raw))
        except ValueError:
            continue
        if not ip.is_loopback and not ip.is_link_local:
            (v4 if ip.version == 4 else v6).append(str(ip))
    return v4, v6


def match_host(unit: Unit, hostname: str, v4: list[str], v6: list[str]) -> Host | None:
    """The unit's own host with this name, else with one of these addresses."""
    hosts = Host.objects.filter(unit=unit)
    short = hostname.split(".")[0]
    by_name = hosts.filter(Q(hostname__iexact=hostname) | Q(hostname__iexact=short)).first()
    if by_name is not None:
        return by_name
    return hosts.filter(Q(ipv4__in=v4) | Q(ipv6__in=v6)).first() if (v4 or v6) else None


def _text(facts: dict[str, Any], key: str, size: int) -> str:
    return str(facts.get(key, "") or "")[:size]


def _strings(facts: dict[str, Any], key: str, limit: int) -> list[str]:
    return [str(v)[:300] for v in list(facts.get(key) or [])[:limit]]


@transaction.atomic
def enrol(secret: str, facts: dict[str, Any]) -> tuple[Agent, str]:
    """Register the host described by `facts` in the token's unit; return (agent, secret)."""
    token = _valid_token(secret)
    unit = token.unit
    hostname = _text(facts, "hostname", 200).strip()
    if not hostname:
        raise Refused(_("The host sent no hostname."), status=400)
    machine = _text(facts, "machine_id", 100)
    if machine:
        elsewhere = Agent.objects.filter(machine_id=machine).exclude(status=Agent.Status.RETIRED)
        if elsewhere.exclude(unit=unit).exists():
            raise Refused(
                _(
                    "This machine is enrolled in another unit. Retire it there first "
                    "(citysoc-agent uninstall) before enrolling it here."
                ),
                status=409,
            )
        elsewhere.filter(unit=unit).update(status=Agent.Status.RETIRED)  # a re-install
    v4, v6 = _addresses(facts)
    host = match_host(unit, hostname, v4, v6) or Host.objects.create(
        unit=unit, hostname=hostname, kind=Host.Kind.WORKSTATION
    )
    _describe(host, facts, v4, v6)
    agent_secret = secrets.token_hex(32)
    agent = Agent.objects.create(
        unit=unit,
        host=host,
        key="ag_" + secrets.token_hex(8),
        secret=agent_secret,
        machine_id=machine,
        hostname=hostname,
        os=_text(facts, "os", 120),
        os_version=_text(facts, "os_version", 300),
        agent_version=_text(facts, "agent_version", 40),
        ips=v4 + v6,
        macs=_strings(facts, "macs", 50),
        users=_strings(facts, "users", 100),
        software=_strings(facts, "software", 5000),
        last_seen=timezone.now(),
    )
    EnrolmentToken.objects.filter(pk=token.pk).update(uses=F("uses") + 1)
    return agent, agent_secret


def _describe(host: Host, facts: dict[str, Any], v4: list[str], v6: list[str]) -> None:
    """Fill what the inventory does not know yet; never overwrite what the unit entered."""
    changed = []
    os_name = f"{_text(facts, 'os', 40)} {_text(facts, 'os_version', 70)}".strip()
    for field, value in (
        ("os", os_name[:120]),
        ("ipv4", v4[0] if v4 else None),
        ("ipv6", v6[0] if v6 else None),
        ("mac", (_strings(facts, "macs", 1) or [""])[0][:17]),
    ):
        if value and not getattr(host, field):
            setattr(host, field, value)
            changed.append(field)
    if changed:
        host.save(update_fields=[*changed, "updated_at"])


def offline_agent(host: Host) -> tuple[Agent, str]:
    """An agent identity for a host without connectivity: it lives in the offline bundle."""
    agent_secret = secrets.token_hex(32)
    agent = Agent.objects.create(
        unit=host.unit,
        host=host,
        key="ag_" + secrets.token_hex(8),
        secret=agent_secret,
        hostname=host.hostname,
        os=host.os,
        status=Agent.Status.OFFLINE,
        ips=[ip for ip in (host.ipv4, host.ipv6) if ip],
    )
    return agent, agent_secret
