"""The weekly, 6-monthly and yearly reports: the scoreboard's figures over a period.

One set of figures (`figures()`), written as DOCX (Decree 30 layout), PDF (fpdf2) or XLSX
by `documents.py`; the page, the CLI and the weekly mail all call these two functions.
Report text is Vietnamese: these are official documents.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citysoc.core.models import Unit
from citysoc.reports import scoring, snapshots

KINDS = {
    "weekly": _("Weekly report"),
    "half-year": _("6-monthly report"),
    "year": _("Yearly report"),
}
TITLES = {
    "weekly": "Báo cáo tuần về tình hình bảo đảm an toàn thông tin",
    "half-year": "Báo cáo 6 tháng về tình hình bảo đảm an toàn thông tin",
    "year": "Báo cáo năm về tình hình bảo đảm an toàn thông tin",
}
# The files' names, in Vietnamese like every other export (bao-cao-tuan-20261207.docx).
STEMS = {"weekly": "tuan", "half-year": "6-thang", "year": "nam"}


@dataclass
class Figures:
    kind: str
    title: str
    start: dt.date
    end: dt.date
    city: Unit | None
    columns: list[scoring.Column]
    rows: list[scoring.UnitScore]
    # {unit_id: score} of the first weekly snapshot of the period, for the change column.
    at_start: dict[int, float | None] = field(default_factory=dict)

    @property
    def mean(self) -> float | None:
        scores = [r.score for r in self.rows if r.score is not None]
        return round(sum(scores) / len(scores), 1) if scores else None

    @property
    def file_stem(self) -> str:
        return f"bao-cao-{STEMS[self.kind]}-{self.end:%Y%m%d}"

    def change(self, row: scoring.UnitScore) -> float | None:
        before = self.at_start.get(row.unit.pk)
        if before is None or row.score is None:
            return None
        return round(row.score - before, 1)


def period(kind: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """The report's period, ending today: the last 7 days, the half-year, the year."""
    if kind == "weekly":
        return today - dt.timedelta(days=6), today
    if kind == "half-year":
        return dt.date(today.year, 1 if today.month <= 6 else 7, 1), today
    if kind == "year":
        return dt.date(today.year, 1, 1), today
    raise ValueError(f"unknown report kind '{kind}': use one of {', '.join(KINDS)}")


def figures(kind: str, units, today: dt.date | None = None) -> Figures:
    """The figures of the report of `kind` over `units` (a Unit queryset)."""
    today = today or timezone.localdate()
    start, end = period(kind, today)
    rows = scoring.score_units(units, today)
    city = Unit.objects.filter(parent__isnull=True).order_by("pk").first()
    return Figures(
        kind=kind,
        title=TITLES[kind],
        start=start,
        end=end,
        city=city,
        columns=scoring.columns(),
        rows=rows,
        at_start=_first_snapshot(units, start),
    )


def _first_snapshot(units, start: dt.date) -> dict[int, float | None]:
    from citysoc.reports.models import ScoreSnapshot

    first: dict[int, float | None] = {}
    rows = ScoreSnapshot.objects.filter(unit__in=units, week__gte=snapshots.monday(start))
    for unit_id, score in rows.order_by("week").values_list("unit_id", "score"):
        first.setdefault(unit_id, score)
    return first
