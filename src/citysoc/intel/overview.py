"""The city's view of the botnet work: units ranked, infected hosts over time, list stats."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from citysoc.intel.models import CleanupTask, ListVersion, Sighting


def units_ranked(tasks) -> list[dict]:
    """Per unit: open, overdue, cleaned (awaiting verification), verified — worst first."""
    today = timezone.localdate()
    open_q = Q(status__in=CleanupTask.OPEN_STATES)
    rows = (
        tasks.values("unit__code", "unit__name")
        .annotate(
            open=Count("id", filter=open_q),
            overdue=Count("id", filter=open_q & Q(due_date__lt=today)),
            cleaned=Count("id", filter=Q(status=CleanupTask.Status.CLEANED)),
            verified=Count("id", filter=Q(status=CleanupTask.Status.VERIFIED)),
            reopened=Count("id", filter=Q(status=CleanupTask.Status.REOPENED)),
            total=Count("id"),
        )
        .order_by("-overdue", "-open", "unit__code")
    )
    return [
        {
            "unit": r["unit__code"],
            "name": r["unit__name"],
            "open": r["open"],
            "overdue": r["overdue"],
            "cleaned": r["cleaned"],
            "verified": r["verified"],
            "reopened": r["reopened"],
            "total": r["total"],
        }
        for r in rows
    ]


def infected_over_time(sightings, limit: int = 12) -> list[dict]:
    """Distinct listed addresses per list version (oldest first), for the chart."""
    versions = list(
        ListVersion.objects.filter(status=ListVersion.Status.DONE)
        .select_related("source")
        .order_by("-id")[:limit]
    )[::-1]
    counts = dict(
        sightings.filter(version__in=versions)
        .values("version_id")
        .annotate(n=Count("ip", distinct=True))
        .values_list("version_id", "n")
    )
    # The bar's label is the period: the source's name is the same on every bar.
    return [{"version": v, "label": v.label, "count": counts.get(v.pk, 0)} for v in versions]


def list_statistics(limit: int = 20) -> list[dict]:
    """Per list version: rows, kept, rejected, families, units hit, tasks opened."""
    out = []
    for v in ListVersion.objects.select_related("source").order_by("-id")[:limit]:
        families = (
            v.indicators.exclude(family="")
            .values("family")
            .annotate(n=Count("id"))
            .order_by("-n")[:5]
        )
        out.append(
            {
                "version": v,
                "units": Sighting.objects.filter(version=v).values("unit").distinct().count(),
                "families": [(f["family"], f["n"]) for f in families],
            }
        )
    return out


def chart_points(series: list[dict], width: int = 600, height: int = 160) -> list[dict]:
    """Bar geometry for a small server-rendered SVG chart (no JavaScript library)."""
    if not series:
        return []
    top = max(s["count"] for s in series) or 1
    step = width / len(series)
    bars = []
    for i, s in enumerate(series):
        h = round((height - 20) * s["count"] / top)
        bars.append(
            {
                "x": round(i * step + step * 0.15),
                "w": round(step * 0.7),
                "y": height - 20 - h,
                "h": h,
                "count": s["count"],
                "label": s["label"],
                "tx": round(i * step + step / 2),
            }
        )
    return bars
