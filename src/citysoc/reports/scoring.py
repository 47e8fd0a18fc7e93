"""The city scoreboard: each unit's score as a transparent weighted sum of components.

score(unit) = Σ weight × points ÷ Σ weight, over the registered components that have a
figure for the unit (core/scoreboard.py). Weights come from `weights.yaml`; a weighted key
with no registered component is "not tracked yet" and counts for nobody.

A unit is ranked only when at least MIN_COMPONENTS weighted components have a figure for it:
a score resting on one or two areas (an ISP unit with only its botnet clean-up) is shown,
marked "not enough data", and listed after the ranked units, never above them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

from citysoc.core import scoreboard
from citysoc.core.models import Unit
from citysoc.core.scoreboard import Raw
from citysoc.lib import yamldata

WEIGHTS_FILE = Path(__file__).with_name("weights.yaml")
# Duty applies to every ward, so three means duty and at least two other areas.
MIN_COMPONENTS = 3
# Labels of the components whose area may not be built yet, for "not tracked yet".
EXPECTED_LABELS = {
    "training": _("Training completion"),
    "incidents": _("Incident handling times"),
}


def load_weights(path: Path = WEIGHTS_FILE) -> dict[str, float]:
    """The weights file as {key: weight}; a clear error naming the line that is wrong."""
    data = yamldata.load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path.name}: expected 'key: weight' lines")
    weights = {}
    for key, weight in data.items():
        if not isinstance(weight, int | float) or weight < 0:
            raise ValueError(f"{path.name}: the weight of '{key}' must be a number ≥ 0")
        weights[str(key)] = float(weight)
    return weights


@dataclass(frozen=True)
class Column:
    """One component as the page heads it: its label, weight, rule, and whether tracked."""

    key: str
    label: Any
    weight: float
    tracked: bool
    rule: Any = ""


@dataclass
class Cell:
    column: Column
    raw: Raw | None = None
    points: float | None = None
    url: str = ""


@dataclass
class UnitScore:
    unit: Unit
    score: float | None
    cells: list[Cell] = field(default_factory=list)
    rank: int | None = None

    @property
    def counted(self) -> int:
        """How many weighted components have a figure for the unit."""
        return sum(1 for c in self.cells if c.points is not None and c.column.weight > 0)

    @property
    def rankable(self) -> bool:
        return self.score is not None and self.counted >= MIN_COMPONENTS

    @property
    def not_enough_data(self) -> bool:
        """Scored, but on fewer than MIN_COMPONENTS components: shown, not ranked."""
        return self.score is not None and not self.rankable

    def as_dict(self) -> dict:
        return {
            "unit": self.unit.code,
            "name": self.unit.name,
            "rank": self.rank,
            "score": self.score,
            "components_scored": self.counted,
            "ranked": self.rank is not None,
            "components": {
                c.column.key: {
                    "tracked": c.column.tracked,
                    "weight": c.column.weight,
                    "raw": c.raw.value if c.raw else None,
                    "text": c.raw.text if c.raw else "",
                    "points": c.points,
                }
                for c in self.cells
            },
        }


def columns(weights: dict[str, float] | None = None) -> list[Column]:
    weights = load_weights() if weights is None else weights
    components = scoreboard.registered()
    result = []
    for key, weight in weights.items():
        component = components.get(key)
        if component is None:
            result.append(Column(key, EXPECTED_LABELS.get(key, key), weight, tracked=False))
        else:
            result.append(Column(key, component.label, weight, True, component.rule))
    return result


def weighted(cells: list[Cell]) -> float | None:
    """Σ weight × points ÷ Σ weight over the cells with points; None when there are none."""
    counted = [c for c in cells if c.points is not None and c.column.weight > 0]
    total = sum(c.column.weight for c in counted)
    if not total:
        return None
    return round(sum(c.column.weight * (c.points or 0) for c in counted) / total, 1)


def score_units(
    units, today: dt.date, *, weights: dict[str, float] | None = None
) -> list[UnitScore]:
    """Every unit of `units` (the city itself left out) scored; those with enough components
    ranked, best first, then the rest."""
    units = list(units.exclude(kind=Unit.Kind.CITY).order_by("path"))
    cols = columns(weights)
    components = scoreboard.registered()
    queryset = Unit.objects.filter(pk__in=[u.pk for u in units])
    figures = {c.key: components[c.key].raw(queryset, today) for c in cols if c.tracked}
    rows = [_unit_score(unit, cols, components, figures) for unit in units]
    # Ranked units by score; then those with too few components; then those with none.
    rows.sort(key=lambda r: (not r.rankable, r.score is None, -(r.score or 0), r.unit.name))
    for rank, row in enumerate((r for r in rows if r.rankable), start=1):
        row.rank = rank
    return rows


def _unit_score(unit, cols, components, figures) -> UnitScore:
    cells = []
    for col in cols:
        cell = Cell(col)
        if col.tracked:
            component = components[col.key]
            cell.raw = figures[col.key].get(unit.pk)
            if cell.raw is not None:
                cell.points = component.points(cell.raw)
                cell.url = component.drill(unit) if component.drill else ""
        cells.append(cell)
    return UnitScore(unit, weighted(cells), cells)
