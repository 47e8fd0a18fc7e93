"""Weekly snapshots of the scoreboard: the trend on the page and the periodic reports."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from citysoc.core.models import Unit
from citysoc.reports import scoring
from citysoc.reports.models import ScoreSnapshot

logger = logging.getLogger(__name__)
TREND_WEEKS = 8


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def take(today: dt.date | None = None) -> int:
    """Store (or refresh) this week's score of every unit; returns the number stored."""
    today = today or timezone.localdate()
    week = monday(today)
    rows = scoring.score_units(Unit.objects.all(), today)
    with transaction.atomic():
        for row in rows:
            data = row.as_dict()["components"]
            tracked = {k: v for k, v in data.items() if v["tracked"]}
            ScoreSnapshot.objects.update_or_create(
                unit=row.unit, week=week, defaults={"score": row.score, "components": tracked}
            )
    logger.info("scoreboard snapshot of week %s: %d units", week, len(rows))
    return len(rows)


def trend(units, today: dt.date, weeks: int = TREND_WEEKS) -> dict[int, list]:
    """{unit_id: [(week, score) oldest first]} of the last `weeks` weeks, one query."""
    since = monday(today) - dt.timedelta(weeks=weeks - 1)
    rows = (
        ScoreSnapshot.objects.filter(unit__in=units, week__gte=since)
        .order_by("week")
        .values_list("unit_id", "week", "score")
    )
    result: dict[int, list] = {}
    for unit_id, week, score in rows:
        result.setdefault(unit_id, []).append((week, score))
    return result
