"""Which unit (and host) owns a listed address — the engine over the units' address plan.

The units' registered addresses (host IPs and IP ranges) are compiled into one engine
`IndicatorSet` whose metadata carries the owning unit, host and range size; listed addresses
are then looked up in one vectorised pass. When several registered entries cover an address
the most specific wins (a host beats its ward's range, a ward's range beats the ISP's range
it sits inside). An address covered only by an ISP unit's range is *unattributed*: the ISP is
shown it so that it can find the subscriber.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from citysoc.core.models import Unit
from citysoc.engine import IndicatorSet, match_ips, match_ranges
from citysoc.inventory.models import Host, IpRange

HOST_SPAN = 1.0


@dataclass(frozen=True)
class AddressBook:
    """The compiled address plan; `index.table` rows carry unit_id, host_id, span, isp."""

    index: IndicatorSet
    entries: int

    @property
    def empty(self) -> bool:
        return self.entries == 0


def address_book(units=None) -> AddressBook:
    """Compile the registered addresses of `units` (a Unit queryset; default: every unit).

    Approved entries only: a host or range waiting for the city's approval (it overlaps
    another unit's space, or is wider than the city allows) never takes an address away
    from the unit that holds it (see `citysoc.inventory.claims`).
    """
    hosts = Host.objects.approved()
    ranges = IpRange.objects.approved()
    if units is not None:
        hosts = hosts.filter(unit__in=units)
        ranges = ranges.filter(unit__in=units)
    values: list[str] = []
    unit_ids: list[int] = []
    host_ids: list[int] = []
    spans: list[float] = []
    isp: list[bool] = []
    for host_id, unit_id, v4, v6 in hosts.values_list("id", "unit_id", "ipv4", "ipv6"):
        for address in (v4, v6):
            if address:
                values.append(address)
                unit_ids.append(unit_id)
                host_ids.append(host_id)
                spans.append(HOST_SPAN)
                isp.append(False)
    isp_units = set(Unit.objects.filter(kind=Unit.Kind.ISP).values_list("id", flat=True))
    for unit_id, text, first, last in ranges.values_list(
        "unit_id", "text", "first_key", "last_key"
    ):
        values.append(text)
        unit_ids.append(unit_id)
        host_ids.append(-1)
        # Keys are fixed-width hex: the span orders ranges by size (float is exact enough).
        spans.append(float(int(last, 16) - int(first, 16) + 1) + 0.5)
        isp.append(unit_id in isp_units)
    table = pa.table(
        {
            "indicator": pa.array(values, pa.string()),
            "unit_id": pa.array(unit_ids, pa.int64()),
            "host_id": pa.array(host_ids, pa.int64()),
            "span": pa.array(spans, pa.float64()),
            "isp": pa.array(isp, pa.bool_()),
        }
    )
    return AddressBook(IndicatorSet.from_arrow(table, source="address plan"), len(values))


@dataclass(frozen=True)
class Owners:
    """For input row `row[k]`: unit `unit_id[k]`, host `host_id[k]` (-1: none)."""

    row: np.ndarray
    unit_id: np.ndarray
    host_id: np.ndarray
    attributed: np.ndarray


def _empty() -> Owners:
    z = np.empty(0, np.int64)
    return Owners(z, z, z, np.empty(0, bool))


def owners_of_addresses(book: AddressBook, addresses: pa.Array | list[str]) -> Owners:
    """The most specific registered owner(s) of each address (vectorised)."""
    if book.empty or len(addresses) == 0:
        return _empty()
    pairs = match_ips(book.index, addresses)
    if pairs.num_rows == 0:
        return _empty()
    rows = pairs.column("row").to_numpy()
    ids = pairs.column("indicator_id").to_numpy()
    return _most_specific(book, rows, ids)


def owners_of_networks(book: AddressBook, networks: list[str]) -> Owners:
    """Units whose registered addresses lie inside (or overlap) listed CIDRs/ranges.

    Few lists carry networks (Spamhaus DROP does): this path loops over them in the engine.
    """
    if book.empty or not networks:
        return _empty()
    hits = match_ranges(book.index, networks)
    if hits.num_rows == 0:
        return _empty()
    rows = hits.column("row").to_numpy()
    # match_ranges returns the matched indicator's metadata, not its id: rebuild ids.
    table = pa.table({"unit_id": hits.column("unit_id"), "host_id": hits.column("host_id")})
    unit_ids = table.column("unit_id").to_numpy()
    host_ids = table.column("host_id").to_numpy()
    isp = hits.column("isp").to_numpy(zero_copy_only=False)
    attributed = (host_ids >= 0) | ~isp
    key = np.unique(np.stack([rows, unit_ids, host_ids]), axis=1)
    keep_attr = {
        (int(r), int(u), int(h)): bool(a)
        for r, u, h, a in zip(rows, unit_ids, host_ids, attributed, strict=True)
    }
    return Owners(
        key[0],
        key[1],
        key[2],
        np.array([keep_attr[(int(r), int(u), int(h))] for r, u, h in key.T], dtype=bool),
    )


def _most_specific(book: AddressBook, rows: np.ndarray, ids: np.ndarray) -> Owners:
    meta = book.index.table
    spans = meta.column("span").to_numpy()[ids]
    order = np.lexsort((spans, rows))
    rows, ids, spans = rows[order], ids[order], spans[order]
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    best = np.minimum.reduceat(spans, starts)
    group = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(rows)]))
    keep = spans == best[group]
    rows, ids = rows[keep], ids[keep]
    unit_ids = meta.column("unit_id").to_numpy()[ids]
    host_ids = meta.column("host_id").to_numpy()[ids]
    isp = meta.column("isp").to_numpy(zero_copy_only=False)[ids]
    # One owner per (row, unit): a host and its own /32 range name the same unit.
    key = np.stack([rows, unit_ids])
    _, first = np.unique(key, axis=1, return_index=True)
    first = np.sort(first)
    return Owners(rows[first], unit_ids[first], host_ids[first], ~isp[first])


# Addresses that mean nothing outside their own network: a national list that names one
# cannot say whose it is (every unit has a 10.x). Shared (100.64/10) and documentation
# ranges are *not* here: ISPs register CGNAT space, and the samples use documentation space.
_LOCAL = tuple(
    ipaddress.ip_network(n)
    for n in (
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "0.0.0.0/8",
        "::1/128",
        "fc00::/7",
        "fe80::/10",
    )
)


def is_local(value: str) -> bool:
    """True for private, loopback and link-local addresses (never attributed from a list)."""
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return False
    return any(address in net for net in _LOCAL if net.version == address.version)


_LOCAL_RE = (
    r"^(10\.|127\.|0\.|169\.254\.|192\.168\.|172\.(1[6-9]|2[0-9]|3[01])\."
    r"|::1$|f[cd][0-9a-f]{0,2}:|fe[89ab][0-9a-f]:)"
)


def local_mask(values: list[str]) -> np.ndarray:
    """Vectorised `is_local` over normalised address texts (the engine's keys)."""
    if not values:
        return np.zeros(0, dtype=bool)
    found = pc.match_substring_regex(pa.array(values, pa.string()), _LOCAL_RE)
    return np.asarray(pc.fill_null(found, False).to_numpy(zero_copy_only=False), dtype=bool)


def is_network(value: str) -> bool:
    """True for CIDRs other than a single address, and for a-b ranges."""
    if "-" in value:
        return True
    if "/" not in value:
        return False
    try:
        net = ipaddress.ip_network(value, strict=False)
    except ValueError:
        return False
    return net.num_addresses > 1
