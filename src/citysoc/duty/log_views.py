"""Duty-log pages: entries, the handover at shift change, and the DOCX/PDF export.

Rows come only through `visible_to(user)` (another unit's handover answers 404); writing
needs an editing role in the unit, acknowledging a handover the incoming person's login.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from citysoc.core.downloads import attachment
from citysoc.core.models import Person, Unit
from citysoc.duty import exporting, forms, logbook
from citysoc.duty.models import Handover, LogEntry

LOG_ON_PAGE = 200


def _editable_units(user):
    return Unit.objects.editable_by(user).order_by("path")


def _my_people(user):
    return Person.objects.filter(user=user, is_active=True).select_related("unit")


# ---- the duty log ----------------------------------------------------------------------------


def _log_units(request):
    return Unit.objects.visible_to(request.user).order_by("path")


def _entries(request, period_form: forms.PeriodForm):
    first, last = period_form.period()
    unit = period_form.cleaned_data.get("unit") if period_form.is_valid() else None
    entries = LogEntry.objects.visible_to(request.user).select_related("unit", "person", "shift")
    handovers = Handover.objects.visible_to(request.user).select_related(
        "unit", "from_person", "to_person"
    )
    if unit:
        entries, handovers = entries.filter(unit=unit), handovers.filter(unit=unit)
    entries = logbook.in_period(entries, first, last)
    handovers = logbook.in_period(handovers, first, last)
    return entries, handovers, first, last, unit


@login_required
def log(request):
    period_form = forms.PeriodForm(request.GET or None, units=_log_units(request))
    editable = _editable_units(request.user)
    entry_form = forms.LogEntryForm(request.POST or None, units=editable, prefix="entry")
    if request.method == "POST":
        if not editable.exists():
            raise PermissionDenied(_("Your role can only read the duty log."))
        if entry_form.is_valid():
            data = entry_form.cleaned_data
            logbook.write(data["unit"], request.user, checked=data["checked"], seen=data["seen"],
                          done=data["done"], at=data["at"])  # fmt: skip
            messages.success(request, _("The entry was added to the duty log."))
            return redirect(request.get_full_path())
    entries, handovers, first, last, unit = _entries(request, period_form)
    context = {
        "period_form": period_form,
        "entry_form": entry_form if editable.exists() else None,
        "entries": entries[:LOG_ON_PAGE],
        "handovers": handovers,
        "first": first,
        "last": last,
        "unit": unit,
        "export_query": request.GET.urlencode(),
    }
    return render(request, "duty/log.html", context)


@login_required
def handover_create(request):
    editable = _editable_units(request.user)
    if not editable.exists():
        raise PermissionDenied(_("Your role can only read the duty log."))
    form = forms.HandoverForm(request.POST or None, units=editable)
    if request.method == "POST" and form.is_valid():
        handover = form.save()
        messages.success(
            request, _("The handover was recorded; the incoming person acknowledges it.")
        )
        return redirect("duty:handover-detail", pk=handover.pk)
    return render(request, "duty/part_form.html", {"form": form, "title": _("Shift handover")})


@login_required
def handover_detail(request, pk: int):
    handover = get_object_or_404(
        Handover.objects.visible_to(request.user).select_related(
            "unit", "from_person", "to_person"
        ),
        pk=pk,
    )
    if request.method == "POST":
        logbook.acknowledge(handover, request.user)
        messages.success(request, _("Handover acknowledged."))
        return redirect("duty:handover-detail", pk=handover.pk)
    context = {
        "handover": handover,
        "may_acknowledge": logbook.may_acknowledge(request.user, handover),
    }
    return render(request, "duty/handover_detail.html", context)


def _export(request, fmt: str):
    period_form = forms.PeriodForm(request.GET or None, units=_log_units(request))
    first, last = period_form.period()
    unit = period_form.cleaned_data.get("unit") if period_form.is_valid() else None
    if unit is None:
        people = _my_people(request.user)
        unit = people[0].unit if people else None
    if unit is None:
        messages.error(request, _("Choose the unit whose duty log to export."))
        return redirect(reverse("duty:log") + "?" + request.GET.urlencode())
    entries = LogEntry.objects.visible_to(request.user)
    handovers = Handover.objects.visible_to(request.user)
    book = exporting.log_book(unit, entries, handovers, first, last)
    name = f"so-nhat-ky-truc-{unit.code}-{first:%Y%m%d}-{last:%Y%m%d}"
    if fmt == "pdf":
        return attachment(exporting.log_pdf(book), "application/pdf", f"{name}.pdf")
    return attachment(
        exporting.log_docx(book),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        f"{name}.docx",
    )


@login_required
def log_docx(request):
    return _export(request, "docx")


@login_required
def log_pdf(request):
    return _export(request, "pdf")
