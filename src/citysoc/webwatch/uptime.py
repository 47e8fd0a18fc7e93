"""Uptime percentages and the response-time chart, from raw runs plus hourly roll-ups.

Raw runs and hourly roll-ups never overlap (a run is deleted when it is rolled up), so a
window's figure is simply the sum of both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from citysoc.webwatch.models import CheckRun, HourlyStat

WINDOWS = {"h24": dt.timedelta(hours=24), "d7": dt.timedelta(days=7), "d30": dt.timedelta(days=30)}
CHART_POINTS = 200


def percent(up: int, total: int) -> float | None:
    """Up checks as a percentage with two decimals; None when nothing was checked."""
    if not total:
        return None
    return round(100.0 * up / total, 2)


def uptime_by_monitor(
    monitor_ids: Iterable[int], *, now: dt.datetime | None = None
) -> dict[int, dict[str, float | None]]:
    """{monitor id: {"h24": %, "d7": %, "d30": %}} in two queries for any number of monitors."""
    now = now or timezone.now()
    ids = list(monitor_ids)
    counts: dict[int, dict[str, list[int]]] = {pk: {name: [0, 0] for name in WINDOWS} for pk in ids}
    if not ids:
        return {}
    run_aggs, stat_aggs = {}, {}
    for name, span in WINDOWS.items():
        since = now - span
        run_aggs[f"t_{name}"] = Count("pk", filter=Q(at__gte=since))
        run_aggs[f"u_{name}"] = Count("pk", filter=Q(at__gte=since, up=True))
        stat_aggs[f"t_{name}"] = Sum("checks", filter=Q(hour__gte=since))
        stat_aggs[f"u_{name}"] = Sum("up_checks", filter=Q(hour__gte=since))
    oldest = now - max(WINDOWS.values())
    runs = (
        CheckRun.objects.filter(monitor_id__in=ids, at__gte=oldest, at__lte=now)
        .values("monitor_id")
        .annotate(**run_aggs)
    )
    stats = (
        HourlyStat.objects.filter(monitor_id__in=ids, hour__gte=oldest, hour__lte=now)
        .values("monitor_id")
        .annotate(**stat_aggs)
    )
    rows: list[Mapping[str, Any]] = [*runs, *stats]  # counts under names made above
    for row in rows:
        for name in WINDOWS:
            pair = counts[row["monitor_id"]][name]
            pair[0] += row[f"u_{name}"] or 0
            pair[1] += row[f"t_{name}"] or 0
    return {pk: {name: percent(*pair) for name, pair in c.items()} for pk, c in counts.items()}


@dataclass(frozen=True)
class ChartPoint:
    at: dt.datetime
    ms: int | None  # average response time of the bucket (None: no answer)
    up: bool  # every check in the bucket was up


def response_series(monitor_id: int, *, since: dt.datetime, now: dt.datetime) -> list[ChartPoint]:
    """The monitor's response times since `since`, at most CHART_POINTS buckets."""
    runs = list(
        CheckRun.objects.filter(monitor_id=monitor_id, at__gte=since, at__lte=now)
        .order_by("at")
        .values_list("at", "up", "response_ms")
    )
    if runs:
        return _buckets(runs, since, now)
    stats = HourlyStat.objects.filter(monitor_id=monitor_id, hour__gte=since, hour__lte=now)
    return [ChartPoint(s.hour, s.avg_ms, s.up_checks == s.checks) for s in stats.order_by("hour")]


def _buckets(runs: list[tuple], since: dt.datetime, now: dt.datetime) -> list[ChartPoint]:
    width = max((now - since) / CHART_POINTS, dt.timedelta(seconds=1))
    grouped: dict[int, list[tuple]] = {}
    for run in runs:
        grouped.setdefault(int((run[0] - since) / width), []).append(run)
    points = []
    for index in sorted(grouped):
        rows = grouped[index]
        times = [ms for _at, _up, ms in rows if ms is not None]
        points.append(
            ChartPoint(
                at=rows[0][0],
                ms=sum(times) // len(times) if times else None,
                up=all(up for _at, up, _ms in rows),
            )
        )
    return points


@dataclass(frozen=True)
class Chart:
    """An inline-SVG line chart: polyline points, down marks and axis labels."""

    line: str  # "x,y x,y …"
    down: list[tuple[float, float]]  # (x, width) of down stretches
    max_ms: int
    width: int = 600
    height: int = 160


def chart(points: list[ChartPoint], *, since: dt.datetime, now: dt.datetime) -> Chart | None:
    """Lay the series out on a 600×160 box (time left to right, slower higher)."""
    if not points:
        return None
    span = max((now - since).total_seconds(), 1.0)
    top = max((p.ms or 0 for p in points), default=0) or 1
    coords, down = [], []
    for point in points:
        x = round(600 * (point.at - since).total_seconds() / span, 1)
        if point.ms is not None:
            coords.append(f"{x},{round(150 - 140 * point.ms / top, 1)}")
        if not point.up:
            down.append((x, max(2.0, round(600 / CHART_POINTS, 1))))
    return Chart(line=" ".join(coords), down=down, max_ms=top)
