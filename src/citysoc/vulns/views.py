"""The findings list: open first, worst first, of the units the user may see."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import render
from django.utils import timezone

from citysoc.core.models import Unit
from citysoc.vulns.models import Finding, Severity

# Critical first: ordering by the stored text would put "critical" after "high".
SEVERITY_RANK = Case(
    *(When(severity=s, then=Value(i)) for i, s in enumerate(reversed(Severity.values))),
    output_field=IntegerField(),
)


@login_required
def home(request):
    findings = Finding.objects.visible_to(request.user).select_related("unit", "host")
    units = Unit.objects.visible_to(request.user).filter(findings__isnull=False).distinct()
    unit = request.GET.get("unit", "")
    if unit:
        findings = findings.filter(unit__code=unit)
    status = request.GET.get("status", "open")
    if status == "open":
        findings = findings.filter(status__in=Finding.ACTIVE)
    elif status in Finding.Status.values:
        findings = findings.filter(status=status)
    severity = request.GET.get("severity", "")
    if severity in Severity.values:
        findings = findings.filter(severity=severity)
    kev, overdue = request.GET.get("kev", ""), request.GET.get("overdue", "")
    if kev:
        findings = findings.filter(kev=True)
    if overdue:
        findings = findings.filter(status__in=Finding.ACTIVE, due_date__lt=timezone.localdate())
    ranked = findings.annotate(rank=SEVERITY_RANK).order_by("rank", "unit__path", "-last_seen")
    page = Paginator(ranked, 100).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "units": units.order_by("path"),
        "unit": unit,
        "status": status,
        "severity": severity,
        "kev": kev,
        "overdue": overdue,
        "statuses": Finding.Status.choices,
        "severities": list(reversed(Severity.choices)),
    }
    return render(request, "vulns/home.html", context)
