"""The findings list: open first, worst first, of the units the user may see; and the
scanner report upload."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from citysoc.core.models import Unit
from citysoc.vulns import importing, parsers
from citysoc.vulns.forms import ScanUploadForm
from citysoc.vulns.models import Finding, Severity
from citysoc.vulns.parsers import read_report
from citysoc.vulns.parsers.base import ParseError

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
        "may_import": Unit.objects.editable_by(request.user).exists(),
    }
    return render(request, "vulns/home.html", context)


@login_required
def scan_upload(request):
    """Import a scanner report for one unit from the page (the CLI's import-scan)."""
    form = ScanUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        unit, upload = form.cleaned_data["unit"], form.cleaned_data["file"]
        data, tool = upload.read(), form.cleaned_data["tool"]
        if not tool and parsers.detect(data[:65536], upload.name) is None:
            # The web form's words (the CLI's say "give --tool").
            form.add_error("file", _(UNKNOWN_TOOL))
            return render(request, "vulns/scan_upload.html", {"form": form})
        try:
            report = read_report(data, upload.name, tool)
        except ParseError as exc:
            form.add_error(
                "file",
                _("The file could not be read as a scanner report (%(detail)s).") % {"detail": exc},
            )
        else:
            result = importing.import_report(report, unit, file_name=upload.name)
            messages.success(request, _imported(result, unit))
            return redirect("vulns:unit-detail", pk=unit.pk)
    return render(request, "vulns/scan_upload.html", {"form": form})


UNKNOWN_TOOL = gettext_noop(
    "The tool that made this file could not be recognised. Choose it under Tool, or check "
    "that the file is a report of one of the tools listed."
)


def _imported(result: importing.ImportResult, unit: Unit) -> str:
    text = _(
        "Imported for %(unit)s: %(n)s findings (%(new)s new, %(mitigated)s no longer seen, "
        "%(reopened)s reopened)."
    ) % {
        "unit": unit.name,
        "n": result.findings,
        "new": result.new,
        "mitigated": result.mitigated,
        "reopened": result.reopened,
    }
    if result.unknown_hosts:
        text += " " + _(
            "%(n)s addresses in the report are not hosts of the unit yet: %(addresses)s. "
            "Add them under Hosts so their findings count for their systems."
        ) % {"n": len(result.unknown_hosts), "addresses": ", ".join(result.unknown_hosts[:10])}
    return text
