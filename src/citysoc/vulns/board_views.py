"""Figures pages: per unit, per system, the city board, and a unit's XLSX and DOCX."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from citysoc.core.downloads import attachment
from citysoc.core.models import Unit
from citysoc.inventory.models import InformationSystem
from citysoc.vulns import exporting, feeds, figures
from citysoc.vulns.models import Finding, Scan

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
