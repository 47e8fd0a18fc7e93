"""The follow-up matrix: units × items of one directive, with % done per unit and per item.

An assignment counts as complete when it is done or marked not applicable (with a reason).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count

from citysoc.core.models import Unit
from citysoc.core.ordering import in_tree_order
from citysoc.directives.models import ActionItem, Assignment, Directive


@dataclass
class Cell:
    assignment: Assignment
    overdue: bool
    missing_evidence: bool


@dataclass
class Row:
    unit: Unit
    cells: list[Cell | None]
    percent: int


@dataclass
class Matrix:
    items: list[ActionItem]
    rows: list[Row] = field(default_factory=list)
    item_percents: list[int | None] = field(default_factory=list)
    percent: int | None = None


SHORT_TITLE_WORDS = 6


def short_title(text: str, words: int = SHORT_TITLE_WORDS) -> str:
    """A column head for an item: its first clause, at most `words` words.

    "Rà soát toàn bộ hệ thống thông tin đơn vị đang quản lý, bảo đảm…" gives "Rà soát toàn
    bộ hệ thống thông…"; a clause of fewer than three words ("Quét, kiểm tra…") runs on.
    """
    taken: list[str] = []
    for word in text.split():
        taken.append(word)
        if len(taken) >= 3 and word[-1] in ",;:.":
            return " ".join(taken).rstrip(",;:.")
        if len(taken) == words:
            break
    head = " ".join(taken).rstrip(",;:.")
    return head if len(taken) == len(text.split()) else f"{head}…"


def _percent(closed: int, total: int) -> int | None:
    return round(100 * closed / total) if total else None


def build_matrix(
    directive: Directive,
    assignments,
    *,
    today: dt.date,
    kind: str = "",
    overdue_only: bool = False,
    missing_evidence_only: bool = False,
) -> Matrix:
    """Lay out `assignments` (already filtered for the user) of `directive` as a matrix.

    The filters keep a unit's whole row when any of its cells matches, so the city sees
    the unit's other answers beside the late one.
    """
    items = list(directive.items.all())
    for item in items:
        item.short_title = short_title(item.text)
    column = {item.pk: i for i, item in enumerate(items)}
    qs = assignments.filter(directive=directive).select_related("unit", "item")
    if kind:
        qs = qs.filter(unit__kind=kind)
    qs = qs.annotate(evidence_count=Count("evidence"))
    by_unit: dict[int, list[Cell | None]] = {}
    units: dict[int, Unit] = {}
    for a in qs.order_by("unit__path", "item__order"):
        cells = by_unit.setdefault(a.unit_id, [None] * len(items))
        units[a.unit_id] = a.unit
        cells[column[a.item_id]] = Cell(
            assignment=a,
            overdue=a.is_overdue(today),
            missing_evidence=(
                a.item.evidence_required
                and a.status == Assignment.Status.DONE
                and not a.evidence_count
            ),
        )
    matrix = Matrix(items=items)
    # Rows in the order of the units page (tree, kind, name), not by internal id.
    for unit in in_tree_order(units.values()):
        unit_id, cells = unit.pk, by_unit[unit.pk]
        present = [c for c in cells if c is not None]
        if overdue_only and not any(c.overdue for c in present):
            continue
        if missing_evidence_only and not any(c.missing_evidence for c in present):
            continue
        closed = sum(c.assignment.is_closed for c in present)
        matrix.rows.append(Row(units[unit_id], cells, _percent(closed, len(present)) or 0))
    all_cells = [c for r in matrix.rows for c in r.cells if c is not None]
    for i in range(len(items)):
        column_cells = [c for r in matrix.rows if (c := r.cells[i]) is not None]
        closed = sum(c.assignment.is_closed for c in column_cells)
        matrix.item_percents.append(_percent(closed, len(column_cells)))
    matrix.percent = _percent(sum(c.assignment.is_closed for c in all_cells), len(all_cells))
    return matrix
