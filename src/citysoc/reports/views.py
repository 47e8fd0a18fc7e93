"""The scoreboard page and the periodic reports' downloads, over the units the user sees."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from citysoc.core.downloads import attachment
from citysoc.core.models import Unit
from citysoc.reports import documents, periodic, scoring, snapshots

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
def scoreboard(request):
    today = timezone.localdate()
    units = Unit.objects.visible_to(request.user)
    rows = scoring.score_units(units, today)
    trend = snapshots.trend(units, today)
    context = {
        "columns": scoring.columns(),
        "rows": [(row, trend.get(row.unit.pk, [])) for row in rows],
        "kinds": periodic.KINDS,
        "min_components": scoring.MIN_COMPONENTS,
    }
    return render(request, "reports/scoreboard.html", context)


@login_required
def report_download(request):
    """`?kind=weekly|half-year|year&fmt=docx|pdf|xlsx` over the units the user sees."""
    kind, fmt = request.GET.get("kind", "weekly"), request.GET.get("fmt", "docx")
    if kind not in periodic.KINDS or fmt not in FORMATS:
        raise Http404
    figures = periodic.figures(kind, Unit.objects.visible_to(request.user))
    data = documents.render(figures, fmt)
    return attachment(data, FORMATS[fmt], f"{figures.file_stem}.{fmt}")
