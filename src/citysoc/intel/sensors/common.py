"""What every sensor export shares: the records in and out, the write-once loop, and the
checks on values (addresses, ranges, hashes, domains) before a format takes them."""

from __future__ import annotations

import ipaddress
import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TextIO, TypeVar

from citysoc.lib.domains import DomainError, normalize_domain
from citysoc.lib.iprange import IpRange, RangeError, parse_range

logger = logging.getLogger(__name__)

IP_KINDS = frozenset({"ipv4", "ipv6", "cidr", "range"})
HASH_KINDS = frozenset({"md5", "sha1", "sha256"})
KINDS = IP_KINDS | HASH_KINDS | {"domain", "url"}
_HASH_LENGTHS = {"md5": 32, "sha1": 40, "sha256": 64}

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(slots=True)
class SensorIndicator:
    """One indicator of a list version, already normalised by the importer."""

    value: str  # IPv4/IPv6 address, CIDR, a-b range, domain, URL or hash
    kind: str  # "ipv4" | "ipv6" | "cidr" | "range" | "domain" | "url" | "md5" | "sha1" | "sha256"
    family: str = ""
    source: str = ""  # list name, e.g. "VNCERT botnet 2024-01"
    version: str = ""  # list version label
    c2: bool = False


@dataclass
class ExportResult:
    """What an export wrote: `items` read = `exported` + sum of `skipped`.

    `lines` counts entries written (header lines not included); it can exceed `exported`
    because a range or a subnet may become several entries. `skipped` maps a reason to the
    number of records skipped for it.
    """

    items: int = 0
    exported: int = 0
    lines: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())


class Skip(Exception):  # noqa: N818 - a decision, not an error: the record is counted as skipped
    """A record this format cannot hold; the message is the reason shown to the operator."""


T = TypeVar("T")


def export_entries(
    items: Iterable[SensorIndicator],
    emit: Callable[[T], object],
    render: Callable[[SensorIndicator], list[tuple[str, T]]],
) -> ExportResult:
    """Render each record to (key, entry) pairs, emit entries whose key is new, and count."""
    result = ExportResult()
    seen: set[str] = set()
    for item in items:
        result.items += 1
        try:
            entries = render(item)
        except Skip as skip:
            result.skipped[str(skip)] += 1
            continue
        fresh = [(key, entry) for key, entry in entries if key not in seen]
        if not fresh:
            result.skipped["duplicate of an entry already written"] += 1
            continue
        for key, entry in fresh:
            seen.add(key)
            emit(entry)
        result.exported += 1
        result.lines += len(fresh)
    if result.skipped:
        logger.info(
            "export skipped %s of %s records: %s",
            result.skipped_total,
            result.items,
            dict(result.skipped),
        )
    return result


def line_writer(out: TextIO) -> Callable[[str], object]:
    return lambda line: out.write(line + "\n")


# ---- shared value handling -------------------------------------------------------------


def networks(item: SensorIndicator) -> list[IpNetwork]:
    """The minimal CIDR list covering an address, CIDR or a-b range."""
    value = item.value.strip()
    if "/" not in value and "-" not in value:
        # Single addresses are most of any botnet list; skip the range arithmetic.
        try:
            return [ipaddress.ip_network(value)]
        except ValueError as exc:
            raise Skip(f"{item.kind}: not a valid address, CIDR or range") from exc
    try:
        r = parse_range(item.value)
    except RangeError as exc:
        raise Skip(f"{item.kind}: not a valid address, CIDR or range") from exc
    return list(ipaddress.summarize_address_range(*ends(r)))


def ends(
    r: IpRange,
) -> (
    tuple[ipaddress.IPv4Address, ipaddress.IPv4Address]
    | tuple[ipaddress.IPv6Address, ipaddress.IPv6Address]
):
    # ip_address(int) would read a small IPv6 value such as ::1 as IPv4, so pick the class.
    if r.version == 4:
        return ipaddress.IPv4Address(r.first), ipaddress.IPv4Address(r.last)
    return ipaddress.IPv6Address(r.first), ipaddress.IPv6Address(r.last)


def is_host(net: IpNetwork) -> bool:
    return net.prefixlen == net.max_prefixlen


def host_or_net(net: IpNetwork) -> str:
    return str(net.network_address) if is_host(net) else str(net)


def checked(item: SensorIndicator) -> str:
    """The value, refusing unknown kinds and text that would break a line-based file.

    IP values are checked where they are parsed, by `networks`, to parse them only once.
    """
    if item.kind not in KINDS:
        raise Skip(f"unknown kind '{item.kind}'")
    value = item.value.strip()
    if not value or any(ch in value for ch in "\t\r\n"):
        raise Skip(f"{item.kind}: empty or contains a tab or line break")
    if item.kind in HASH_KINDS:
        value = value.lower()
        if len(value) != _HASH_LENGTHS[item.kind] or any(
            c not in "0123456789abcdef" for c in value
        ):
            raise Skip(f"{item.kind}: not a hex digest of the right length")
    elif item.kind == "domain":
        try:
            value = normalize_domain(value)
        except DomainError as exc:
            raise Skip("domain: not a valid domain name") from exc
    return value


def one_line(text: str) -> str:
    return " ".join(text.split())
