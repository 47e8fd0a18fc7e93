"""Figures pages: per unit, per system, the city board, and a unit's XLSX and DOCX."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from citysoc.core.downloads import attachment
from citysoc.core.models import Unit
from citysoc.core.tenancy import scope_for
from citysoc.inventory.models import InformationSystem
from citysoc.vulns import exporting, feeds, figures
from citysoc.vulns.forms import FeedForm
from citysoc.vulns.models import Finding, PriorityFeed, Scan

URGENT_ROWS = 50


def _unit(request, pk: int) -> Unit:
    return get_object_or_404(Unit.objects.visible_to(request.user), pk=pk)


def _unit_findings(request, unit: Unit):
    return Finding.objects.visible_to(request.user).filter(unit__path__startswith=unit.path)


def _urgent(findings, today):
    """Known exploited, critical or overdue: what the unit fixes first."""
    return (
        findings.filter(status__in=Finding.ACTIVE)
        .filter(Q(kev=True) | Q(severity="critical") | Q(due_date__lt=today))
        .select_related("system", "unit")
        .order_by("-kev", "due_date", "pk")
    )


@login_required
def unit_detail(request, pk: int):
    unit = _unit(request, pk)
    today = timezone.localdate()
    findings = _unit_findings(request, unit)
    scans = Scan.objects.visible_to(request.user).filter(unit__path__startswith=unit.path)
    context = {
        "unit": unit,
        "summary": figures.summary(findings, today),
        "systems": figures.by_system(findings, today),
        "trend": figures.trend(scans),
        "urgent": _urgent(findings, today)[:URGENT_ROWS],
        "today": today,
    }
    return render(request, "vulns/unit_detail.html", context)


@login_required
def system_detail(request, pk: int):
    systems = InformationSystem.objects.visible_to(request.user).select_related("unit")
    system = get_object_or_404(systems, pk=pk)
    today = timezone.localdate()
    findings = Finding.objects.visible_to(request.user).filter(system=system)
    scans = Scan.objects.visible_to(request.user).filter(
        pk__in=findings.exclude(last_scan=None).values("last_scan")
    )
    context = {
        "system": system,
        "summary": figures.summary(findings, today),
        "trend": figures.trend(scans),
        "findings": findings.filter(status__in=Finding.ACTIVE)
        .order_by("-kev", "due_date", "pk")
        .select_related("host")[:200],
        "today": today,
    }
    return render(request, "vulns/system_detail.html", context)


@login_required
def board(request):
    today = timezone.localdate()
    findings = Finding.objects.visible_to(request.user)
    context = {
        "rows": figures.board(findings, today),
        "total": figures.summary(findings, today),
        "feeds": feeds.ensure_feeds(),
        "today": today,
    }
    return render(request, "vulns/board.html", context)


@login_required
def unit_export(request, pk: int):
    unit = _unit(request, pk)
    today = timezone.localdate()
    data = exporting.findings_xlsx(_unit_findings(request, unit), today=today)
    name = f"lo-hong-{unit.code}-{today:%Y%m%d}.xlsx"
    return attachment(data, exporting.XLSX_CONTENT_TYPE, name)


@login_required
def unit_report(request, pk: int):
    from citysoc.directives.templating import TemplateError, city_root

    unit = _unit(request, pk)
    today = timezone.localdate()
    try:
        city = city_root()
    except TemplateError:
        city = None
    data = exporting.unit_report_docx(unit, _unit_findings(request, unit), today=today, city=city)
    name = f"bao-cao-lo-hong-{unit.code}-{today:%Y%m%d}.docx"
    return attachment(data, exporting.DOCX_CONTENT_TYPE, name)


@login_required
def feeds_page(request):
    """The KEV and EPSS feeds: their state for everyone, their address for the city."""
    may_edit = scope_for(request.user).city_editor
    rows = feeds.ensure_feeds()
    bound = None
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(_("Only the city's administrators change the feeds."))
        feed = get_object_or_404(PriorityFeed, kind=request.POST.get("kind", ""))
        bound = FeedForm(request.POST, instance=feed, prefix=feed.kind)
        if bound.is_valid():
            bound.save()
            messages.success(request, _("Saved."))
            return redirect("vulns:feeds")
    forms_ = [
        (
            f,
            bound
            if bound is not None and bound.instance.pk == f.pk
            else FeedForm(instance=f, prefix=f.kind),
            feeds.SUGGESTED_URLS[f.kind],
        )
        for f in rows
    ]
    context = {"feeds": forms_, "may_edit": may_edit}
    return render(request, "vulns/feeds.html", context, status=400 if bound else 200)
