"""The compiled results of a directive (báo cáo kết quả): counts per item and per unit,
and every unit's own answers, ready for the DOCX, PDF and XLSX writers.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from citysoc.directives.models import ActionItem, Assignment, Directive
from citysoc.directives.progress import Matrix, build_matrix


@dataclass
class ItemSummary:
    item: ActionItem
    counts: Counter
    overdue: int
    percent: int | None

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class UnitAnswers:
    unit_name: str
    percent: int
    answers: list[tuple[ActionItem, Assignment, list[str]]] = field(default_factory=list)


@dataclass
class Results:
    directive: Directive
    today: dt.date
    matrix: Matrix
    items: list[ItemSummary]
    units: list[UnitAnswers]

    @property
    def unit_count(self) -> int:
        return len(self.units)


def compile_results(directive: Directive, assignments, *, today: dt.date) -> Results:
    """Summarise `assignments` (already filtered for the reader) of an issued directive."""
    assignments = assignments.prefetch_related("evidence")
    matrix = build_matrix(directive, assignments, today=today)
    evidence = {
        a.pk: [e.filename for e in a.evidence.all()]
        for a in assignments.filter(directive=directive)
    }
    items = []
    for i, item in enumerate(matrix.items):
        cells = [c for row in matrix.rows if (c := row.cells[i]) is not None]
        items.append(
            ItemSummary(
                item=item,
                counts=Counter(c.assignment.status for c in cells),
                overdue=sum(c.overdue for c in cells),
                percent=matrix.item_percents[i],
            )
        )
    units = []
    for row in matrix.rows:
        answers = UnitAnswers(unit_name=row.unit.name, percent=row.percent)
        for item, cell in zip(matrix.items, row.cells, strict=True):
            if cell is not None:
                a = cell.assignment
                answers.answers.append((item, a, evidence.get(a.pk, [])))
        units.append(answers)
    return Results(directive, today, matrix, items, units)
