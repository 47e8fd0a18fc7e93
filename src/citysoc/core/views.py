"""Core pages: the dashboard, units, people and the audit log.

Units and people are read through `visible_to(user)` (another unit's row answers 404) and
changed only by someone who may manage the unit (`can_manage`).
"""

from __future__ import annotations

import csv
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponsePermanentRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citysoc.core import audit_display, delivery_problems
from citysoc.core.dashboard import dashboard_for, unit_boxes
from citysoc.core.forms import AuditFilter, PersonFilter, PersonForm, UnitFilter, UnitForm
from citysoc.core.listing import build_table
from citysoc.core.models import AuditEntry, Person, Unit
from citysoc.core.ordering import tree_rank
from citysoc.core.tenancy import can_manage, scope_for
from citysoc.lib.formulas import defuse_row


@login_required
def dashboard(request):
    context = {
        "dashboard": dashboard_for(request.user),
        "delivery_problems": delivery_problems.open_problems(Unit.objects.visible_to(request.user)),
    }
    return render(request, "core/dashboard.html", context)


# --- units ---------------------------------------------------------------------------------


@login_required
def unit_list(request):
    filters = UnitFilter(request.GET or None)
    units = filters.apply(Unit.objects.visible_to(request.user).select_related("parent"))
    table = build_table(
        request.GET,
        units,
        sort_fields={"name": ("name",), "code": ("code",), "kind": ("kind", "path")},
        default_order=(tree_rank(Unit.objects.visible_to(request.user)),),
    )
    can_add = Unit.objects.manageable_by(request.user).exists()
    return render(
        request, "core/unit_list.html", {"table": table, "filters": filters, "can_add": can_add}
    )


@login_required
def unit_detail(request, pk: int):
    unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=pk)
    context = {
        "unit": unit,
        "unit_boxes": unit_boxes(unit),
        "children": unit.children.order_by("name"),
        "can_manage": can_manage(request.user, unit),
        "delivery_problems": delivery_problems.open_problems(Unit.objects.filter(pk=unit.pk)),
    }
    return render(request, "core/unit_detail.html", context)


def _unit_form_page(request, form, unit=None):
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            unit = form.save()
        messages.success(request, _("Saved %(unit)s.") % {"unit": unit})
        return redirect("core:unit-detail", pk=unit.pk)
    return render(request, "core/unit_form.html", {"form": form, "unit": unit})


@login_required
def unit_create(request):
    if not Unit.objects.manageable_by(request.user).exists():
        raise PermissionDenied(_("Only a unit or city administrator can add units."))
    initial = {}
    if request.GET.get("parent", "").isdigit():
        initial["parent"] = int(request.GET["parent"])
    form = UnitForm(request.POST or None, user=request.user, initial=initial)
    return _unit_form_page(request, form)


@login_required
def unit_edit(request, pk: int):
    unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=pk)
    if not can_manage(request.user, unit):
        raise PermissionDenied(_("Only this unit's administrator or the city can change it."))
    form = UnitForm(request.POST or None, instance=unit, user=request.user)
    return _unit_form_page(request, form, unit)


# --- people --------------------------------------------------------------------------------


def _people(request):
    return Person.objects.visible_to(request.user).select_related("unit", "user")


@login_required
def person_list(request):
    filters = PersonFilter(request.GET or None, user=request.user)
    table = build_table(
        request.GET,
        filters.apply(_people(request)),
        sort_fields={
            "name": ("full_name",),
            "unit": ("unit__path", "full_name"),
            "role": ("role", "full_name"),
        },
        default_order=("unit__path", "full_name"),
    )
    can_add = Unit.objects.manageable_by(request.user).exists()
    return render(
        request, "core/person_list.html", {"table": table, "filters": filters, "can_add": can_add}
    )


def _may_change(user, person: Person) -> bool:
    # A unit admin cannot touch a city administrator, even one placed in their unit.
    if person.role == Person.Role.CITY_ADMIN and not scope_for(user).is_city:
        return False
    return can_manage(user, person.unit)


@login_required
def person_detail(request, pk: int):
    person = get_object_or_404(_people(request), pk=pk)
    context = {"person": person, "can_manage": _may_change(request.user, person)}
    return render(request, "core/person_detail.html", context)


def _person_form_page(request, form, person=None):
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            person = form.save_with_account(request)
        messages.success(request, _("Saved %(person)s.") % {"person": person})
        return redirect("core:person-detail", pk=person.pk)
    return render(request, "core/person_form.html", {"form": form, "person": person})


@login_required
def person_create(request):
    if not Unit.objects.manageable_by(request.user).exists():
        raise PermissionDenied(_("Only a unit or city administrator can add people."))
    initial = {}
    if request.GET.get("unit", "").isdigit():
        initial["unit"] = int(request.GET["unit"])
    form = PersonForm(request.POST or None, user=request.user, initial=initial)
    return _person_form_page(request, form)


@login_required
def person_edit(request, pk: int):
    person = get_object_or_404(_people(request), pk=pk)
    if not _may_change(request.user, person):
        raise PermissionDenied(_("Only this unit's administrator or the city can change people."))
    form = PersonForm(request.POST or None, instance=person, user=request.user)
    return _person_form_page(request, form, person)


# --- audit log -----------------------------------------------------------------------------

CSV_COLUMNS = ["time", "by", "via", "action", "object type", "object id", "object", "unit"]


def _audit_entries(request):
    if not scope_for(request.user).is_city:
        raise Http404
    filters = AuditFilter(request.GET or None)
    entries = filters.apply(AuditEntry.objects.visible_to(request.user).select_related("unit"))
    return filters, entries


@login_required
def audit_list(request):
    filters, entries = _audit_entries(request)
    if request.GET.get("format") == "csv":
        return _audit_csv(entries)
    table = build_table(
        request.GET,
        entries,
        sort_fields={"at": ("at",)},
        default_order=("-at", "-id"),
    )
    audit_display.annotate(table.rows)
    return render(request, "core/audit_list.html", {"table": table, "filters": filters})


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_rows(entries):
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a BOM so that Excel opens the Vietnamese text as UTF-8
    yield writer.writerow([*CSV_COLUMNS, "before", "after"])
    for e in entries.order_by("-at", "-id").iterator(chunk_size=2000):
        # Names and object labels are typed by units: no cell may start a formula.
        yield writer.writerow(
            defuse_row(
                [
                    timezone.localtime(e.at).strftime("%d/%m/%Y %H:%M:%S"),
                    e.actor_label,
                    e.via,
                    e.action,
                    e.model,
                    e.object_id,
                    e.object_repr,
                    e.unit.code if e.unit else "",
                    json.dumps(e.changes.get("before", ""), ensure_ascii=False),
                    json.dumps(e.changes.get("after", ""), ensure_ascii=False),
                ]
            )
        )


def _audit_csv(entries):
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(_csv_rows(entries), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="citysoc-audit-{stamp}.csv"'
    return response


def favicon(request):
    """The icon at the address browsers guess, served (and cached) with the static files."""
    return HttpResponsePermanentRedirect(static("citysoc/favicon.ico"))
