"""The sightings list and the city-wide botnet view."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from citysoc.core.listing import build_table
from citysoc.core.models import Unit
from citysoc.intel import (
    compare,
    forms,
    overview,
)
from citysoc.intel.models import (
    CleanupTask,
    IndicatorSource,
    Sighting,
    sees_lists,
)


@login_required
def sighting_list(request):
    filters = forms.SightingFilter(request.GET or None, user=request.user)
    queryset = Sighting.objects.visible_to(request.user).select_related(
        "unit", "host", "version__source", "log"
    )
    if filters.is_valid():
        data = filters.cleaned_data
        if data["via"]:
            queryset = queryset.filter(via=data["via"])
        if data["unit"]:
            queryset = queryset.filter(unit__path__startswith=data["unit"].path)
        if data["version"]:
            queryset = queryset.filter(version=data["version"])
    table = build_table(
        request.GET,
        queryset,
        sort_fields={
            "seen": ("last_seen",),
            "unit": ("unit__path", "ip"),
            "ip": ("ip",),
            "recorded": ("created_at",),
        },
        default_order=("-created_at", "unit__path", "ip"),
    )
    return render(request, "intel/sighting_list.html", {"table": table, "filters": filters})


@login_required
def city(request):
    if not sees_lists(request.user):
        raise PermissionDenied(_("The city view is for the city's roles."))
    tasks_seen = CleanupTask.objects.visible_to(request.user)
    series = overview.infected_over_time(
        Sighting.objects.visible_to(request.user).filter(via=Sighting.Via.LIST)
    )
    sources = list(IndicatorSource.objects.filter(versions__status="done").distinct())
    chosen = request.GET.get("source", "")
    source = next((s for s in sources if str(s.pk) == chosen), sources[0] if sources else None)
    versions, trend = (
        compare.trend(source.pk, Unit.objects.visible_to(request.user)) if source else ([], {})
    )
    context = {
        "ranked": overview.units_ranked(tasks_seen),
        "bars": overview.chart_points(series),
        "statistics": overview.list_statistics(),
        "sources": sources,
        "source": source,
        "trend_versions": versions,
        "trend": trend,
    }
    return render(request, "intel/city.html", context)
