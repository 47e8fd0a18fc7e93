"""A city's IP address plan: units and their ranges from one spreadsheet.

Columns (Vietnamese or English headers): unit code, unit name, unit kind, CIDR, provider.
A unit that does not exist yet is created under the city's root unit (the unit with no
parent; if there are several, the first by path), with the kind given (default: other).
Existing units are reused, never renamed. Rows with a bad CIDR, an unknown kind or an
unknown provider are rejected with their row number and reason while the valid rows are
imported: this is the city administrator's tool for loading a plan, not a unit's import.
Ranges are judged like any unit's claim (`claims`): a city role's plan, or the server's
command line, is approved as it stands; ranges overlapping another unit's approved ones
are still created and listed on the overlap report.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from citysoc.core.models import Unit
from citysoc.inventory.columns import fold
from citysoc.inventory.models import IpRange
from citysoc.lib import iprange

if TYPE_CHECKING:
    from citysoc.inventory.import_records import Checked, Record

logger = logging.getLogger(__name__)

_CODE = re.compile(r"^[-a-zA-Z0-9_]+$")


def resolve(checked: Checked, user) -> None:
    """Check every row of a plan: code, name for new units, CIDR, provider."""
    known = {u.code: u for u in Unit.objects.all().only("pk", "code", "name", "kind")}
    isps = {
        fold(v): u.code for u in known.values() if u.kind == Unit.Kind.ISP for v in (u.code, u.name)
    }
    new_isps = {
        fold(v): r.values.get("unit_code")
        for r in checked.records
        if r.values.get("unit_kind") == Unit.Kind.ISP
        for v in (r.values.get("unit_code"), r.values.get("unit_name"))
        if v
    }
    # A unit named on one row may be used by code alone on the rows after it.
    named = {r.values["unit_code"] for r in checked.records if r.values.get("unit_name")}
    for record in checked.records:
        _resolve_row(checked, record, known.keys() | named, {**new_isps, **isps})


def _resolve_row(checked: Checked, record: Record, known: set, isps: dict) -> None:
    v = record.values
    code = v.get("unit_code", "")
    if code and not _CODE.match(code):
        checked.fail(
            record,
            "unit_code",
            _("'%s' is not a valid unit code: use letters, digits and '-' only.") % code,
        )
    if code and code not in known and not v.get("unit_name"):
        checked.fail(record, "unit_name", _("Unit '%s' does not exist yet; give its name.") % code)
    record.fields.update(
        unit_code=code,
        unit_name=v.get("unit_name", ""),
        unit_kind=v.get("unit_kind") or Unit.Kind.OTHER,
    )
    if v.get("cidr"):
        try:
            record.fields["text"] = iprange.format_range(iprange.parse_range(v["cidr"]))
        except iprange.RangeError as exc:
            checked.fail(record, "cidr", str(exc))
    record.key = (code, record.fields.get("text", ""))
    provider = v.get("provider", "")
    record.fields["provider_code"] = isps.get(fold(provider)) if provider else None
    if provider and record.fields["provider_code"] is None:
        checked.fail(record, "provider", _("No ISP unit has the code or name '%s'.") % provider)


def root_unit() -> Unit | None:
    return Unit.objects.filter(parent__isnull=True).order_by("path").first()


def write(records: list[Record], user) -> tuple[int, int, int, int, int]:
    """Create missing units, then missing ranges, judged as `user`'s claims. Returns (ranges
    created, rows matching an existing range, of them unchanged, units created, ranges
    left pending); runs inside the caller's transaction."""
    from citysoc.inventory import claims

    root = root_unit()
    units = {
        u.code: u
        for u in Unit.objects.filter(
            code__in={r.fields["unit_code"] for r in records}
            | {r.fields["provider_code"] for r in records if r.fields["provider_code"]}
        )
    }
    created_units = 0
    for record in records:
        f = record.fields
        if f["unit_code"] not in units:
            unit = Unit(code=f["unit_code"], name=f["unit_name"], kind=f["unit_kind"], parent=root)
            unit.save()  # units are few; save() also computes the tree path
            units[unit.code] = unit
            created_units += 1
    existing = set(
        IpRange.objects.filter(unit_id__in=[u.pk for u in units.values()]).values_list(
            "unit_id", "text"
        )
    )
    new_ranges = []
    pending = 0
    for record in records:
        f = record.fields
        unit = units[f["unit_code"]]
        if (unit.pk, f["text"]) in existing:
            continue
        existing.add((unit.pk, f["text"]))
        provider = units.get(f["provider_code"]) if f["provider_code"] else None
        r = IpRange(unit=unit, text=f["text"], provider=provider)
        r.set_range(f["text"])
        verdict = claims.judge(user, r)
        r.claim_state, r.claim_reasons = verdict.state, list(verdict.reasons)
        pending += verdict.pending
        new_ranges.append(r)
    IpRange.objects.bulk_create(new_ranges, batch_size=1000)
    matched = len(records) - len(new_ranges)
    return len(new_ranges), matched, matched, created_units, pending


def describe(summary: dict[str, Any]) -> str:
    """The summary in a few lines for the terminal."""
    lines = [
        f"{summary['rows']} rows read: {summary['created_units']} units and "
        f"{summary['created_ranges']} ranges created, {len(summary['rejected'])} rows rejected."
    ]
    lines += [f"  row {item['row']}: {item['reason']}" for item in summary["rejected"]]
    return "\n".join(lines)
