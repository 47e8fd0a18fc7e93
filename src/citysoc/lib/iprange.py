"""Parse and compare IP ranges without Django.

A range is kept as (version, first, last) integers. For storage in a database that has
no 128-bit integer, `to_key()` turns an address into a fixed-width hex string whose text
order equals numeric order, so SQL `BETWEEN` works on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

KEY_WIDTH = 32  # hex digits of a 128-bit address; IPv4 keys are padded to the same width


class RangeError(ValueError):
    """The text is not a CIDR, a single address or an a-b range."""


@dataclass(frozen=True)
class IpRange:
    version: int
    first: int
    last: int

    @property
    def size(self) -> int:
        return self.last - self.first + 1

    @property
    def first_key(self) -> str:
        return to_key(self.first)

    @property
    def last_key(self) -> str:
        return to_key(self.last)

    def overlaps(self, other: IpRange) -> bool:
        return (
            self.version == other.version and self.first <= other.last and other.first <= self.last
        )

    def contains(self, address: int, version: int) -> bool:
        return self.version == version and self.first <= address <= self.last

    def __str__(self) -> str:
        return format_range(self)


def to_key(value: int) -> str:
    return f"{value:0{KEY_WIDTH}x}"


def parse_address(text: str) -> tuple[int, int]:
    """Return (version, integer) for one IP address, or raise RangeError."""
    try:
        addr = ipaddress.ip_address(text.strip())
    except ValueError as exc:
        raise RangeError(f"'{text}' is not an IP address") from exc
    return addr.version, int(addr)


def parse_range(text: str) -> IpRange:
    """Parse '10.0.0.0/24', '10.0.0.1', '10.0.0.1-10.0.0.9' or '2001:db8::/32'.

    A CIDR with host bits set ('10.0.0.5/24') is refused: in an address plan it is
    almost always a typo, and silently widening it would assign addresses to a unit.
    """
    raw = (text or "").strip()
    if not raw:
        raise RangeError("empty range")
    if "-" in raw and "/" not in raw:
        return _parse_dash(raw)
    try:
        net = ipaddress.ip_network(raw, strict=True)
    except ValueError as exc:
        if "host bits set" in str(exc):
            raise RangeError(
                f"'{raw}' has host bits set; did you mean {_network_of(raw)}?"
            ) from exc
        raise RangeError(f"'{raw}' is not a CIDR, address or a-b range") from exc
    return IpRange(net.version, int(net.network_address), int(net.broadcast_address))


def _network_of(raw: str) -> str:
    return str(ipaddress.ip_network(raw, strict=False))


def _parse_dash(raw: str) -> IpRange:
    left, _, right = raw.partition("-")
    v1, first = parse_address(left)
    v2, last = parse_address(right)
    if v1 != v2:
        raise RangeError(f"'{raw}' mixes IPv4 and IPv6")
    if first > last:
        raise RangeError(f"'{raw}' starts after it ends")
    return IpRange(v1, first, last)


def format_range(r: IpRange) -> str:
    """The shortest text for a range: a CIDR when it is one, else 'a-b'."""
    first = ipaddress.ip_address(r.first) if r.version == 4 else ipaddress.IPv6Address(r.first)
    last = ipaddress.ip_address(r.last) if r.version == 4 else ipaddress.IPv6Address(r.last)
    nets = list(ipaddress.summarize_address_range(first, last))
    if len(nets) == 1:
        return str(nets[0])
    return f"{first}-{last}"


def address_key(text: str) -> tuple[int, str]:
    """(version, key) of one address, for lookups against stored ranges."""
    version, value = parse_address(text)
    return version, to_key(value)
