"""Syslog senders: which source (and so which unit) a sending address feeds, and the hand-off
of its lines to the intake.

Each enabled AlertSource of kind "syslog" lists its sender addresses in `sender_ips`, one
IP or CIDR per line (`#` starts a comment). The most specific entry wins: a /32 listed by
one ward beats the /24 of the district network listed by another. The mapping is reloaded
by the listener every minute, so a source added in the web UI starts working without a
restart. Few senders: a sorted list and `ipaddress` are enough, no matching engine.

A sender's lines are read as FortiGate or netfilter lines, whichever each line is (the
engine's format tests), and stored with `intake.ingest` in one transaction per batch.
"""

from __future__ import annotations

import ipaddress
import logging
import re
from collections import Counter
from dataclasses import dataclass

from django.db import close_old_connections, connection

from citysoc.alerts import intake
from citysoc.alerts.models import AlertSource
from citysoc.alerts.sources import fortigate, iptables
from citysoc.alerts.sources.base import Event, Parsed, RecordError, gather
from citysoc.alerts.sources.syslog_lines import split_header
from citysoc.alerts.syslog import Outcome
from citysoc.core.models import Unit
from citysoc.inventory import attribution

log = logging.getLogger(__name__)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
NOT_OURS = "neither a FortiGate key=value line nor a netfilter (iptables) log line"


@dataclass(frozen=True)
class Sender:
    """Where one sender's messages go."""

    source_id: int
    source_name: str
    unit_code: str

    def __str__(self) -> str:
        return f"source {self.source_id} '{self.source_name}' of unit {self.unit_code}"


class SenderMap:
    """Address → Sender, most specific network first."""

    def __init__(self, entries: list[tuple[Network, Sender]]) -> None:
        # Longest prefix first; among equals the older source (lower id) wins.
        self.entries = sorted(entries, key=lambda e: (-e[0].prefixlen, e[1].source_id))
        self._cache: dict[str, Sender | None] = {}

    def find(self, ip: str) -> Sender | None:
        if ip not in self._cache:
            self._cache[ip] = self._lookup(ip)
        return self._cache[ip]

    def _lookup(self, ip: str) -> Sender | None:
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            return None
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        for network, sender in self.entries:
            if address.version == network.version and address in network:
                return sender
        return None

    def __len__(self) -> int:
        return len(self.entries)


def parse_addresses(text: str) -> tuple[list[Network], list[str]]:
    """The networks listed in a `sender_ips` text, and a problem sentence per bad line."""
    networks: list[Network] = []
    problems: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        value = raw.split("#", 1)[0].strip()
        if not value:
            continue
        try:
            networks.append(ipaddress.ip_network(value, strict=False))
        except ValueError:
            problems.append(f"line {number} {value!r} is not an IP address or CIDR")
    return networks, problems


def load() -> SenderMap:
    """The current mapping from the enabled syslog sources."""
    entries: list[tuple[Network, Sender]] = []
    claimed: dict[Network, Sender] = {}
    sources = AlertSource.objects.filter(kind=AlertSource.Kind.SYSLOG, enabled=True)
    for source in sources.select_related("unit").order_by("pk"):
        sender = Sender(source.pk, source.name, source.unit.code)
        networks, problems = parse_addresses(source.sender_ips)
        for problem in problems:
            log.warning("syslog %s: sender addresses %s; that line is ignored", sender, problem)
        for network in networks:
            if network in claimed:
                log.warning(
                    "syslog: %s is listed by %s and by %s; the first one gets its messages",
                    network,
                    claimed[network],
                    sender,
                )
            claimed.setdefault(network, sender)
            entries.append((network, sender))
    return SenderMap(entries)


def read_lines(lines: list[str]) -> Parsed:
    """Each line as FortiGate or netfilter, whichever it is; others rejected."""

    def parse_line(line: str) -> Event | None:
        _header, message = split_header(line)
        module = fortigate if fortigate.sniff(message) else iptables
        if module is iptables and not iptables.sniff(message):
            raise RecordError(NOT_OURS)
        return module.parse_line(line)

    return gather(enumerate(lines, start=1), parse_line)


def deliver(sender: Sender, lines: list[str]) -> tuple[Outcome, Parsed]:
    """Parse a sender's lines and store the events in one transaction."""
    parsed = read_lines(lines)
    outcome = Outcome(
        skipped=parsed.skipped, rejected=Counter(_reason(r) for _, r in parsed.rejected)
    )
    source = AlertSource.objects.filter(pk=sender.source_id, enabled=True).first()
    if source is None:
        # Disabled or deleted since the last reload: say so rather than storing elsewhere.
        outcome.rejected[f"{sender} is disabled or deleted"] += len(parsed.events)
        return outcome, parsed
    result = intake.ingest(source, parsed.events)
    outcome.events = len(parsed.events)
    outcome.created = result.created
    return outcome, parsed


def _reason(reason: str) -> str:
    # Counters group by reason: hide quoted values so "srcip 'x'" and "srcip 'y'" add up.
    return re.sub(r"'[^']*'", "'…'", reason)


def hint(ip: str) -> str:
    """What the operator should run to accept `ip`, naming the unit when its address plan
    shows whose address it is."""
    code = _unit_of(ip)
    command = f"citysoc source create --unit {code or 'UNIT-CODE'} --kind syslog --sender-ip {ip}"
    where = f"{ip} is in the address plan of unit {code}: if" if code else "If"
    return (
        f"{where} it is a unit's firewall, run: {command}"
        " (or add the address to that unit's syslog source in the web UI)."
    )


def _unit_of(ip: str) -> str:
    try:
        owners = attribution.owners_of_addresses(attribution.address_book(), [ip])
    except ValueError:
        return ""
    if len(owners.unit_id) == 0:
        return ""
    unit = Unit.objects.filter(pk=int(owners.unit_id[0])).first()
    return unit.code if unit else ""


class Router:
    """The listener's router: this module's mapping, delivery and hints."""

    def __init__(self) -> None:
        self.map = SenderMap([])

    def refresh(self) -> None:
        close_old_connections()
        fresh = load()
        if len(fresh) != len(self.map):
            log.info("syslog: %d sender addresses mapped to sources", len(fresh))
        self.map = fresh

    def find(self, ip: str) -> Sender | None:
        return self.map.find(ip)

    def store(self, destination: Sender, lines: list[str]) -> Outcome:
        # The listener runs for months: drop a connection the database closed meanwhile.
        close_old_connections()
        return deliver(destination, lines)[0]

    def hint(self, ip: str) -> str:
        close_old_connections()
        return hint(ip)

    def close(self) -> None:
        connection.close()
