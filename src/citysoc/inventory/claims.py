"""Which unit may register which addresses: the claim check for hosts and IP ranges.

Attribution gives a listed address to the most specific registered entry that covers it
(`citysoc.inventory.attribution`), so registering an address is a claim on whatever is found
there: a ward that registers another ward's address, or 0.0.0.0/0, would be handed that
ward's infected machines and their clean-up tasks. So an entry is *approved* at once only when

- it overlaps no approved entry of a unit outside the units the user may edit (an ISP unit's
  range does not count: an address only inside an ISP's block is nobody's yet, the ISP sees
  it as unattributed, and every subscriber's range sits inside such a block), and
- a range is no wider than the city's limit (`ADDRESS_CLAIM_MAX_PREFIX_V4` / `_V6`).

Anything else is stored *pending*: its unit sees it with the reason (never the other unit's
name or range), the city sees it in a list to approve or reject, and attribution and the
owner lookup ignore it (`ClaimQuerySet.approved()`). A city role's own entries and the
command-line address plan (`SERVER`) are approved directly; demo data is created with the
model's default, approved. Changing an entry's address judges it again; other edits keep
its state.
"""

from __future__ import annotations

import bisect
import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from citysoc.core.models import Unit
from citysoc.core.tenancy import scope_for
from citysoc.inventory.claim_reasons import OVERLAP, TOO_WIDE, max_prefix
from citysoc.inventory.models import ClaimState, Host, IpRange
from citysoc.lib import iprange


class _Server:
    """The claimant for the server's own operator (the command-line address plan): trusted."""

    def __repr__(self) -> str:
        return "SERVER"


SERVER: Any = _Server()


@dataclass(frozen=True)
class Verdict:
    state: str
    reasons: tuple[str, ...] = ()

    @property
    def pending(self) -> bool:
        return self.state == ClaimState.PENDING


APPROVED = Verdict(ClaimState.APPROVED)


@dataclass(frozen=True)
class Conflict:
    """An approved entry of another unit that a claim overlaps (shown to the city only)."""

    kind: str  # "range" or "host"
    pk: int
    unit: Unit
    entry: str  # the range text, or "hostname (address)"


def is_city(user) -> bool:
    """A city role: approves claims, and its own entries need no approval."""
    return user is SERVER or scope_for(user).is_city


def too_wide(version: int, first: int, last: int) -> bool:
    bits = 32 if version == 4 else 128
    return last - first + 1 > 2 ** (bits - max_prefix(version))


# Other units' approved space


def _own_paths(user) -> tuple[str, ...] | None:
    """The unit subtrees whose entries are the user's own; None: every unit is."""
    if user is SERVER:
        return None
    scope = scope_for(user)
    return None if scope.everything else scope.edit_paths


def _outside(queryset, paths: tuple[str, ...] | None):
    """Approved rows of units outside `paths` (nothing when `paths` is None)."""
    if paths is None:
        return queryset.none()
    queryset = queryset.approved()
    for path in paths:
        queryset = queryset.exclude(unit__path__startswith=path)
    return queryset


def _common_octets(first: int, last: int) -> str:
    """'203.0.' for 203.0.112.0-203.0.127.255: whole leading octets every address between
    the two shares (a safe text prefilter; hosts' addresses are stored as text)."""
    a = str(ipaddress.IPv4Address(first)).split(".")
    b = str(ipaddress.IPv4Address(last)).split(".")
    same = []
    for x, y in zip(a, b, strict=True):
        if x != y:
            break
        same.append(x)
    return "".join(f"{octet}." for octet in same[:3])


Span = tuple[int, int, int]  # version, first address, last address (as integers)


@dataclass(frozen=True)
class Item:
    """One approved entry of another unit, as a span: a range, or a host's address."""

    version: int
    first: int
    last: int
    kind: str  # "range" or "host"
    pk: int


class Space:
    """Other units' approved addresses, sorted so that "does this span touch any of them?"
    is two binary searches: one index serves a single form and a 50,000-row import."""

    def __init__(self, items: Iterable[Item]) -> None:
        self.items: dict[int, list[Item]] = {}
        for item in sorted(items, key=lambda i: (i.version, i.first)):
            self.items.setdefault(item.version, []).append(item)
        self._firsts = {v: [i.first for i in rows] for v, rows in self.items.items()}
        self._reach = {
            v: list(_running_max(i.last for i in rows)) for v, rows in self.items.items()
        }

    def overlaps(self, version: int, first: int, last: int) -> bool:
        firsts = self._firsts.get(version)
        if not firsts:
            return False
        # Entries starting at or before `last`; one of them reaches `first` if the furthest does.
        n = bisect.bisect_right(firsts, last)
        return n > 0 and self._reach[version][n - 1] >= first

    def overlapping(self, version: int, first: int, last: int) -> list[Item]:
        rows = self.items.get(version, [])
        n = bisect.bisect_right(self._firsts.get(version, []), last)
        return [item for item in rows[:n] if item.last >= first]


def _running_max(values: Iterable[int]) -> Iterable[int]:
    best = -1
    for value in values:
        best = max(best, value)
        yield best


def space_outside(paths: tuple[str, ...] | None, spans: list[Span] | None = None) -> Space:
    """The approved hosts and (non-ISP) ranges of units outside `paths`: all of them, or
    (with `spans`) those a query can narrow to the spans asked about."""
    if paths is None:
        return Space(())
    ranges = _outside(IpRange.objects, paths).exclude(unit__kind=Unit.Kind.ISP)
    hosts = _outside(Host.objects, paths)
    if spans is not None:
        ranges = ranges.filter(_range_filter(spans))
        hosts = hosts.filter(_host_filter(spans))
    items = [
        Item(version, int(first, 16), int(last, 16), "range", pk)
        for pk, version, first, last in ranges.values_list(
            "pk", "version", "first_key", "last_key"
        ).iterator()
    ]
    for pk, v4, v6 in hosts.values_list("pk", "ipv4", "ipv6").iterator():
        for address in (v4, v6):
            if address:
                value = ipaddress.ip_address(address)
                items.append(Item(value.version, int(value), int(value), "host", pk))
    return Space(items)


def _range_filter(spans: list[Span]) -> Q:
    q = Q(pk__in=[])
    for version, first, last in spans:
        q |= Q(
            version=version,
            first_key__lte=iprange.to_key(last),
            last_key__gte=iprange.to_key(first),
        )
    return q


def _host_filter(spans: list[Span]) -> Q:
    """A superset of the hosts inside `spans` (the index then checks exactly)."""
    q = Q(pk__in=[])
    for version, first, last in spans:
        field = "ipv4" if version == 4 else "ipv6"
        if first == last:
            address = ipaddress.IPv4Address(first) if version == 4 else ipaddress.IPv6Address(first)
            q |= Q(**{field: str(address)})
        elif version == 4 and (prefix := _common_octets(first, last)):
            q |= Q(ipv4__startswith=prefix)
        else:
            q |= Q(**{f"{field}__isnull": False})
    return q


# An entry's claim as plain values (imports judge tens of thousands of rows: no model
# instances): "hosts" have unit_id, ipv4, ipv6; "ranges" have unit_id, text.
CLAIM_INPUT = {"hosts": ("unit_id", "ipv4", "ipv6"), "ranges": ("unit_id", "text")}


def _kind(obj) -> str:
    return "ranges" if isinstance(obj, IpRange) else "hosts"


def _values(obj) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in CLAIM_INPUT[_kind(obj)]}


def _claimed(kind: str, values: dict[str, Any]) -> tuple:
    """What two versions of an entry must share for the city's decision to stand."""
    if kind == "ranges":
        return (values["unit_id"], values["text"])
    return (values["unit_id"], _norm(values.get("ipv4")), _norm(values.get("ipv6")))


def _norm(address) -> str | None:
    return str(ipaddress.ip_address(str(address))) if address else None


def _spans(kind: str, values: dict[str, Any]) -> list[Span]:
    """What an entry claims, as (version, first, last) spans."""
    if kind == "ranges":
        r = iprange.parse_range(values["text"])
        return [(r.version, r.first, r.last)]
    spans: list[Span] = []
    for address in (values.get("ipv4"), values.get("ipv6")):
        if address:
            value = ipaddress.ip_address(str(address))
            spans.append((value.version, int(value), int(value)))
    return spans


# Judging an entry


def _judge(user, kind: str, values: dict[str, Any], space: Space | None) -> Verdict:
    if is_city(user):
        return APPROVED
    spans = _spans(kind, values)
    if space is None:
        space = space_outside(_own_paths(user), spans)
    reasons = []
    if any(space.overlaps(*span) for span in spans):
        reasons.append(OVERLAP)
    if kind == "ranges" and any(too_wide(*span) for span in spans):
        reasons.append(TOO_WIDE)
    return Verdict(ClaimState.PENDING, tuple(reasons)) if reasons else APPROVED


def judge(user, obj: Host | IpRange) -> Verdict:
    """The state `obj` gets when `user` registers it as it is now (nothing is saved)."""
    return _judge(user, _kind(obj), _values(obj), None)


def settle(user, obj: Host | IpRange) -> Verdict:
    """Set the claim state of `obj` before `user` saves it (a create or an edit).

    An edit that keeps the unit and the addresses keeps the state the city gave it; a new
    entry or a new address is judged again.
    """
    if isinstance(obj, IpRange):
        obj.set_range(obj.text)
    kind = _kind(obj)
    if obj.pk is not None:
        stored = type(obj).objects.filter(pk=obj.pk).first()
        if stored is not None and _claimed(kind, _values(stored)) == _claimed(kind, _values(obj)):
            return Verdict(stored.claim_state, tuple(stored.claim_reasons or ()))
    verdict = judge(user, obj)
    obj.claim_state = verdict.state
    obj.claim_reasons = list(verdict.reasons)
    obj.claim_note = ""
    return verdict


def settle_records(user, kind: str, records: list, stored: dict[tuple, dict]) -> int:
    """Set the claim fields of imported host/range records (`record.fields`) for `user`.

    `stored` maps a record's key to the existing row's `CLAIM_INPUT` values; a row whose
    addresses do not change keeps its state. Other units' space is read once for all rows.
    Returns how many records are left pending.
    """
    names = CLAIM_INPUT[kind]
    space = None if is_city(user) else space_outside(_own_paths(user))
    pending = 0
    for record in records:
        row = stored.get(record.key)
        values = {k: record.fields.get(k, (row or {}).get(k)) for k in names}
        if row is not None and _claimed(kind, row) == _claimed(kind, values):
            continue
        verdict = _judge(user, kind, values, space)
        record.fields["claim_state"] = verdict.state
        record.fields["claim_reasons"] = list(verdict.reasons)
        record.fields["claim_note"] = ""
        pending += verdict.pending
    return pending


# What the unit and the city are told


def conflicts_of(obj: Host | IpRange) -> list[Conflict]:
    """The approved entries of other units that `obj` overlaps: for the city's decision."""
    spans = _spans(_kind(obj), _values(obj))
    space = space_outside((obj.unit.path,), spans)
    hits = {(i.kind, i.pk) for span in spans for i in space.overlapping(*span)}
    found = [
        Conflict("range", r.pk, r.unit, r.text)
        for r in IpRange.objects.filter(
            pk__in=[pk for k, pk in hits if k == "range"]
        ).select_related("unit")
    ]
    for host in Host.objects.filter(pk__in=[pk for k, pk in hits if k == "host"]).select_related(
        "unit"
    ):
        addresses = " ".join(a for a in (host.ipv4, host.ipv6) if a)
        found.append(Conflict("host", host.pk, host.unit, f"{host.hostname} ({addresses})"))
    return sorted(found, key=lambda c: (c.unit.path, c.kind, c.entry))


def pending_for_city() -> tuple[list[Host], list[IpRange]]:
    hosts = list(Host.objects.pending().select_related("unit").order_by("unit__path", "hostname"))
    ranges = list(
        IpRange.objects.pending()
        .select_related("unit")
        .order_by("unit__path", "version", "first_key")
    )
    return hosts, ranges


def decide(user, obj: Host | IpRange, *, approve: bool, note: str = "") -> None:
    """A city role approves or rejects an entry; the save writes the audit entry
    (state and note before and after, who, when)."""
    if user is SERVER or not scope_for(user).is_city:
        raise PermissionDenied(_("Only a city role may approve or reject addresses."))
    obj.claim_state = ClaimState.APPROVED if approve else ClaimState.REJECTED
    obj.claim_note = note.strip()[:300]
    obj.save(update_fields=["claim_state", "claim_note", "updated_at"])
