"""Which unit may register which addresses: the claim check for hosts and IP ranges.

Attribution gives a listed address to the most specific registered entry that covers it
(`citysoc.intel.attribution`), so registering an address is a claim on whatever is found
there: a ward that registers another ward's address, or 0.0.0.0/0, would be handed that
ward's infected machines and their clean-up tasks. So an entry is *approved* at once only when

- it overlaps no approved entry of a unit outside the units the user may edit (an ISP unit's
  range does not count: an address only inside an ISP's block is nobody's yet, the ISP sees
  it as unattributed, and every subscriber's range sits inside such a block), and
- a range is no wider than the city's limit (`ADDRESS_CLAIM_MAX_PREFIX_V4` / `_V6`).

Anything else is stored *pending*: its unit sees it with the reason (never the other unit's
name or range), the city sees it in a list to approve or reject, and attribution and the
owner lookup ignore it (`ClaimQuerySet.approved()`). A city role's own entries, and the
server's own loaders (`SERVER`: demo data, the command-line address plan), are approved
directly. Changing an entry's address judges it again; other edits keep its state.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from citysoc.core.models import Unit
from citysoc.core.tenancy import scope_for
from citysoc.inventory.models import ClaimState, Host, IpRange
from citysoc.lib import iprange

OVERLAP = "overlap"
TOO_WIDE = "too_wide"


class _Server:
    """The claimant for the server's own loaders (CLI address plan, demo): trusted."""

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


def max_prefix(version: int) -> int:
    if version == 4:
        return settings.ADDRESS_CLAIM_MAX_PREFIX_V4
    return settings.ADDRESS_CLAIM_MAX_PREFIX_V6


def too_wide(version: int, first_key: str, last_key: str) -> bool:
    size = int(last_key, 16) - int(first_key, 16) + 1
    bits = 32 if version == 4 else 128
    return size > 2 ** (bits - max_prefix(version))


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


def _ranges_over(paths, version: int, first_key: str, last_key: str):
    return (
        _outside(IpRange.objects, paths)
        .filter(version=version, first_key__lte=last_key, last_key__gte=first_key)
        .exclude(unit__kind=Unit.Kind.ISP)
    )


def _hosts_in(paths, version: int, first_key: str, last_key: str) -> list[tuple[int, int, str]]:
    """(pk, unit_id, address) of outside hosts with an address in the span."""
    field = "ipv4" if version == 4 else "ipv6"
    first, last = int(first_key, 16), int(last_key, 16)
    hosts = _outside(Host.objects, paths).filter(**{f"{field}__isnull": False})
    if first == last:
        address = ipaddress.ip_address(first) if version == 4 else ipaddress.IPv6Address(first)
        hosts = hosts.filter(**{field: str(address)})
    elif version == 4 and (prefix := _common_octets(first, last)):
        hosts = hosts.filter(ipv4__startswith=prefix)
    found = []
    for pk, unit_id, text in hosts.values_list("pk", "unit_id", field).iterator():
        if first <= int(ipaddress.ip_address(text)) <= last:
            found.append((pk, unit_id, text))
    return found


def _spans(obj) -> list[tuple[int, str, str]]:
    """(version, first_key, last_key) of what an entry claims."""
    if isinstance(obj, IpRange):
        return [(obj.version, obj.first_key, obj.last_key)]
    spans = []
    for address in (obj.ipv4, obj.ipv6):
        if address:
            version, key = iprange.address_key(str(address))
            spans.append((version, key, key))
    return spans


def _overlaps(paths, spans: Iterable[tuple[int, str, str]]) -> bool:
    return any(_ranges_over(paths, *span).exists() or _hosts_in(paths, *span) for span in spans)


# Judging an entry


def judge(user, obj: Host | IpRange) -> Verdict:
    """The state `obj` gets when `user` registers it as it is now (nothing is saved)."""
    if is_city(user):
        return APPROVED
    if isinstance(obj, IpRange) and not obj.first_key:
        obj.set_range(obj.text)
    reasons = []
    if _overlaps(_own_paths(user), _spans(obj)):
        reasons.append(OVERLAP)
    if isinstance(obj, IpRange) and too_wide(obj.version, obj.first_key, obj.last_key):
        reasons.append(TOO_WIDE)
    return Verdict(ClaimState.PENDING, tuple(reasons)) if reasons else APPROVED


def _claimed(obj) -> tuple:
    if isinstance(obj, IpRange):
        return (obj.unit_id, obj.text)
    return (obj.unit_id, _norm(obj.ipv4), _norm(obj.ipv6))


def _norm(address) -> str | None:
    return str(ipaddress.ip_address(str(address))) if address else None


def settle(user, obj: Host | IpRange) -> Verdict:
    """Set the claim state of `obj` before `user` saves it (a create or an edit).

    An edit that keeps the unit and the addresses keeps the state the city gave it; a new
    entry or a new address is judged again.
    """
    if isinstance(obj, IpRange):
        obj.set_range(obj.text)
    if obj.pk is not None:
        stored = type(obj).objects.filter(pk=obj.pk).first()
        if stored is not None and _claimed(stored) == _claimed(obj):
            return Verdict(stored.claim_state, tuple(stored.claim_reasons or ()))
    verdict = judge(user, obj)
    obj.claim_state = verdict.state
    obj.claim_reasons = list(verdict.reasons)
    obj.claim_note = ""
    return verdict


# The fields that say what an entry claims, by import kind.
CLAIM_INPUT = {"hosts": ("unit_id", "ipv4", "ipv6"), "ranges": ("unit_id", "text")}


def settle_records(user, kind: str, records: list, stored: dict[tuple, dict]) -> int:
    """Set the claim fields of imported host/range records (`record.fields`) for `user`.

    `stored` maps a record's key to the existing row's `CLAIM_INPUT` values; a row whose
    addresses do not change keeps its state. Returns how many records are left pending.
    """
    model = Host if kind == "hosts" else IpRange
    names = CLAIM_INPUT[kind]
    pending = 0
    for record in records:
        row = stored.get(record.key)
        obj = model(**{k: record.fields.get(k, (row or {}).get(k)) for k in names})
        if row is not None and _claimed(model(**{k: row[k] for k in names})) == _claimed(obj):
            continue
        verdict = judge(user, obj)
        record.fields["claim_state"] = verdict.state
        record.fields["claim_reasons"] = list(verdict.reasons)
        record.fields["claim_note"] = ""
        pending += verdict.pending
    return pending


# What the unit and the city are told


def reason_texts(obj: Host | IpRange) -> list[str]:
    """Why an entry waits, in words its own unit may read (no other unit is named)."""
    texts = []
    for code in obj.claim_reasons or ():
        if code == OVERLAP:
            texts.append(_("overlaps another unit's registered space"))
        elif code == TOO_WIDE:
            version = getattr(obj, "version", 4)
            texts.append(
                _("wider than /%(prefix)d, the largest block a unit may register on its own")
                % {"prefix": max_prefix(version)}
            )
    return texts


def conflicts_of(obj: Host | IpRange) -> list[Conflict]:
    """The approved entries of other units that `obj` overlaps: for the city's decision."""
    paths = (obj.unit.path,)
    found: list[Conflict] = []
    hosts: dict[int, str] = {}
    for span in _spans(obj):
        for r in _ranges_over(paths, *span).select_related("unit"):
            found.append(Conflict("range", r.pk, r.unit, r.text))
        for pk, _unit_id, address in _hosts_in(paths, *span):
            hosts[pk] = address
    for host in Host.objects.filter(pk__in=hosts).select_related("unit"):
        found.append(Conflict("host", host.pk, host.unit, f"{host.hostname} ({hosts[host.pk]})"))
    unique = {(c.kind, c.pk): c for c in found}
    return sorted(unique.values(), key=lambda c: (c.unit.path, c.kind, c.entry))


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
