"""Inventory pages: list, detail, create, edit and delete for systems, hosts, ranges and
domains (one set of thin views driven by a `Kind` per model), the overlap report and the
"who owns…?" lookup.

Rows come from `visible_to(user)`, so another unit's object answers 404; writes go through
forms that only offer the units the user may edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import ProtectedError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from citysoc.core.listing import build_table
from citysoc.core.models import Unit
from citysoc.core.tenancy import can_edit, scope_for
from citysoc.inventory import claims, forms, overlaps
from citysoc.inventory.lookup import lookup as lookup_owner
from citysoc.inventory.models import Domain, Host, InformationSystem, IpRange

InventoryModel = InformationSystem | Host | IpRange | Domain


@dataclass(frozen=True)
class Kind:
    """Everything the generic views need to know about one inventory model."""

    name: str
    model: type[InventoryModel]
    form: type
    filter: type
    sort_fields: dict[str, tuple[str, ...]]
    default_order: tuple[str, ...]
    select_related: tuple[str, ...] = ("unit",)
    prefetch_related: tuple[str, ...] = ()

    def url(self, action: str) -> str:
        return f"inventory:{self.name}-{action}"

    @property
    def verbose_name(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def plural(self) -> str:
        return str(self.model._meta.verbose_name_plural)


KINDS = {
    "system": Kind(
        name="system",
        model=InformationSystem,
        form=forms.SystemForm,
        filter=forms.SystemFilter,
        sort_fields={
            "name": ("name",),
            "unit": ("unit__path", "name"),
            "type": ("system_type", "name"),
            "level": ("security_level", "name"),
            "dossier": ("dossier_status", "name"),
            "users": ("user_count",),
        },
        default_order=("unit__path", "name"),
        select_related=("unit", "regime"),
    ),
    "host": Kind(
        name="host",
        model=Host,
        form=forms.HostForm,
        filter=forms.HostFilter,
        sort_fields={
            "hostname": ("hostname",),
            "unit": ("unit__name", "hostname"),
            "kind": ("kind", "hostname"),
            "ipv4": ("ipv4",),
            "os": ("os", "hostname"),
            "criticality": ("criticality", "hostname"),
        },
        # (unit_id, hostname) is the unique constraint's index: with 100,000 hosts the
        # first page is read from the index instead of sorting the whole table.
        default_order=("unit_id", "hostname"),
        prefetch_related=("systems",),
    ),
    "range": Kind(
        name="range",
        model=IpRange,
        form=forms.RangeForm,
        filter=forms.RangeFilter,
        sort_fields={
            "range": ("version", "first_key", "last_key"),
            "unit": ("unit__name", "version", "first_key"),
            "scope": ("scope", "version", "first_key"),
        },
        default_order=("version", "first_key", "last_key"),
        select_related=("unit", "provider"),
    ),
    "domain": Kind(
        name="domain",
        model=Domain,
        form=forms.DomainForm,
        filter=forms.DomainFilter,
        sort_fields={"name": ("name",), "unit": ("unit__name", "name")},
        default_order=("name",),
        select_related=("unit", "system"),
    ),
}


# The kinds whose addresses are claims a city role decides (`claims`).
CLAIMED: dict[str, type[Host] | type[IpRange]] = {"host": Host, "range": IpRange}


def _visible(request, kind: Kind):
    return kind.model.objects.visible_to(request.user).select_related(*kind.select_related)


def _get_visible(request, kind: Kind, pk: int):
    return get_object_or_404(_visible(request, kind), pk=pk)


def _get_editable(request, kind: Kind, pk: int):
    obj = _get_visible(request, kind, pk)
    if not can_edit(request.user, obj.unit):
        raise PermissionDenied(_("Your role in this unit is read-only."))
    return obj


def _can_create(user) -> bool:
    return Unit.objects.editable_by(user).exists()


@login_required
def object_list(request, kind: str):
    k = KINDS[kind]
    user = request.user
    filters = k.filter(request.GET or None, user=user)
    queryset = filters.apply(_visible(request, k).prefetch_related(*k.prefetch_related))
    table = build_table(
        request.GET, queryset, sort_fields=k.sort_fields, default_order=k.default_order
    )
    context = {"kind": k, "table": table, "filters": filters, "can_create": _can_create(user)}
    if kind in ("host", "range") and scope_for(user).is_city:
        # One query for both tables: the list pages have a fixed query budget.
        pending = Host.objects.pending().order_by().values("pk")
        context["claims_to_decide"] = pending.union(
            IpRange.objects.pending().order_by().values("pk"), all=True
        ).count()
    if kind == "range" and scope_for(user).is_city:
        # One narrow query over every range; cheap next to the page itself.
        context["overlapping"] = overlaps.overlapping_ids(overlaps.spans_of(IpRange.objects.all()))
    return render(request, f"inventory/{kind}_list.html", context)


@login_required
def object_detail(request, kind: str, pk: int):
    k = KINDS[kind]
    obj = _get_visible(request, k, pk)
    context = {"kind": k, "object": obj, "can_edit": can_edit(request.user, obj.unit)}
    if kind == "system":
        labels = dict(InformationSystem.InfoClass.choices)
        context["info_classes"] = [labels.get(c, c) for c in obj.info_classes or []]
    return render(request, f"inventory/{kind}_detail.html", context)


def _save_form(request, k: Kind, form):
    with transaction.atomic():
        obj = form.save()
    if getattr(obj, "claim_pending", False):
        messages.warning(
            request,
            _(
                "Saved %(object)s; it waits for a city role's approval before it is used to "
                "attribute botnet sightings: %(why)s."
            )
            % {"object": obj, "why": "; ".join(obj.claim_why)},
        )
    else:
        messages.success(request, _("Saved %(object)s.") % {"object": obj})
    return redirect(k.url("detail"), pk=obj.pk)


@login_required
def object_create(request, kind: str):
    k = KINDS[kind]
    if not _can_create(request.user):
        raise PermissionDenied(_("Your role does not allow adding to the inventory."))
    initial = {}
    if request.GET.get("unit", "").isdigit():
        initial["unit"] = int(request.GET["unit"])
    if kind == "host":  # pre-filled from a scan's unknown host (vulns.importing.new_host_url)
        initial |= {
            f: request.GET[f][:200] for f in ("hostname", "ipv4", "ipv6") if request.GET.get(f)
        }
    form = k.form(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        return _save_form(request, k, form)
    return render(request, "inventory/object_form.html", {"kind": k, "form": form})


@login_required
def object_edit(request, kind: str, pk: int):
    k = KINDS[kind]
    obj = _get_editable(request, k, pk)
    form = k.form(request.POST or None, instance=obj, user=request.user)
    if request.method == "POST" and form.is_valid():
        return _save_form(request, k, form)
    return render(request, "inventory/object_form.html", {"kind": k, "form": form, "object": obj})


@login_required
def object_delete(request, kind: str, pk: int):
    k = KINDS[kind]
    obj = _get_editable(request, k, pk)
    if request.method == "POST":
        try:
            with transaction.atomic():
                obj.delete()
        except ProtectedError:
            messages.error(
                request, _("%(object)s is still in use and cannot be deleted.") % {"object": obj}
            )
            return redirect(k.url("detail"), pk=pk)
        messages.success(request, _("Deleted %(object)s.") % {"object": obj})
        return redirect(k.url("list"))
    return render(request, "inventory/object_confirm_delete.html", {"kind": k, "object": obj})


@login_required
def range_overlaps(request):
    if not scope_for(request.user).is_city:
        raise Http404
    pairs = overlaps.overlapping_pairs(overlaps.spans_of(IpRange.objects.all()))
    ranges = IpRange.objects.select_related("unit").in_bulk({s.id for pair in pairs for s in pair})
    rows = [(ranges[a.id], ranges[b.id]) for a, b in pairs]
    return render(request, "inventory/range_overlaps.html", {"pairs": rows})


@login_required
def lookup(request):
    query = request.GET.get("q", "").strip()
    result = lookup_owner(request.user, query) if query else None
    return render(request, "inventory/lookup.html", {"query": query, "result": result})


@login_required
def claim_list(request):
    """The city's list of hosts and ranges waiting for approval, with what they overlap."""
    if not scope_for(request.user).is_city:
        raise Http404
    hosts, ranges = claims.pending_for_city()
    rows = [
        {"kind": kind, "obj": obj, "conflicts": claims.conflicts_of(obj)}
        for kind, objs in (("range", ranges), ("host", hosts))
        for obj in objs
    ]
    context = {
        "rows": rows,
        "max_v4": settings.ADDRESS_CLAIM_MAX_PREFIX_V4,
        "max_v6": settings.ADDRESS_CLAIM_MAX_PREFIX_V6,
    }
    return render(request, "inventory/claims.html", context)


@login_required
@require_POST
def claim_decide(request, kind: str, pk: int):
    """A city role approves or rejects one waiting host or range (the list's buttons)."""
    if not scope_for(request.user).is_city:
        raise Http404
    obj = cast("Host | IpRange", get_object_or_404(CLAIMED[kind], pk=pk))
    approve = request.POST.get("decision") == "approve"
    with transaction.atomic():
        claims.decide(request.user, obj, approve=approve, note=request.POST.get("note", ""))
    if approve:
        messages.success(request, _("Approved %(object)s.") % {"object": obj})
    else:
        messages.success(request, _("Rejected %(object)s.") % {"object": obj})
    return redirect("inventory:claims")
