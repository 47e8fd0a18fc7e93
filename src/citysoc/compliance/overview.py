"""The city's view of compliance: a heatmap of units × requirement groups, systems by level
and approval, the systems that need a level or an assessment, and each unit's gaps.

Every function takes querysets the caller already limited to what the user may see.
A system counts with its latest assessment (in progress or completed), scored as in
`assessing` (met 1, partly ½, not met and not yet assessed 0, not applicable left out).
A unit's cell is the average of its systems' scores in that group.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, QuerySet, Value, When

from citysoc.compliance import assessing, duties
from citysoc.compliance.models import Assessment, AssessmentItem, Library, Requirement
from citysoc.compliance.tally import Tally
from citysoc.core.models import Unit
from citysoc.core.ordering import in_tree_order
from citysoc.inventory.models import InformationSystem

# Heatmap colour bands (percent): below 50 is red, below 80 amber, below 100 light green.
BANDS = ((50, "hm-low"), (80, "hm-mid"), (100, "hm-high"))


def band(score: float | None) -> str:
    """The CSS class of a heatmap cell."""
    if score is None:
        return "hm-none"
    for limit, css in BANDS:
        if score < limit:
            return css
    return "hm-full"


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


# --- latest assessments and their scores per group ------------------------------------------


def latest(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """The latest assessment of each system, with what the pages show of it."""
    return assessing.latest_per_system(assessments).select_related("library", "system", "unit")


def top_groups(libraries: list[Library]) -> dict[int, Requirement]:
    """Requirement id -> its top-level group (itself when it is top-level), for `libraries`."""
    nodes = {r.pk: r for r in Requirement.objects.filter(library__in=libraries)}
    top: dict[int, Requirement] = {}
    for pk, node in nodes.items():
        seen = node
        while seen.parent_id is not None and seen.parent_id in nodes:
            seen = nodes[seen.parent_id]
        top[pk] = seen
    return top


def group_tallies(
    assessments: list[Assessment], top: dict[int, Requirement]
) -> dict[int, dict[int, Tally]]:
    """Assessment id -> {top-level group id -> tally}, in one grouped query.

    The group of each requirement is mapped in SQL (a CASE over the requirement ids), so
    the database returns one row per (assessment, group, status), not one per item.
    """
    by_group: dict[int, list[int]] = defaultdict(list)
    for requirement_id, group in top.items():
        by_group[group.pk].append(requirement_id)
    result: dict[int, dict[int, Tally]] = {a.pk: {} for a in assessments}
    if not assessments or not by_group:
        return result
    group_of = Case(
        *[When(requirement_id__in=ids, then=Value(gid)) for gid, ids in by_group.items()],
        output_field=IntegerField(),
    )
    rows = (
        AssessmentItem.objects.filter(assessment__in=[a.pk for a in assessments])
        .annotate(group=group_of)
        .values_list("assessment_id", "group", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for assessment_id, group_id, status, n in rows:
        result[assessment_id].setdefault(group_id, Tally()).add(status, n)
    return result


def overall(tallies: dict[int, Tally]) -> Tally:
    """The sum of a system's group tallies."""
    total = Tally()
    for t in tallies.values():
        for status, n in (
            (AssessmentItem.Status.MET, t.met),
            (AssessmentItem.Status.PARTLY, t.partly),
            (AssessmentItem.Status.NOT_MET, t.not_met),
            (AssessmentItem.Status.NOT_APPLICABLE, t.not_applicable),
            (AssessmentItem.Status.NOT_ASSESSED, t.total - t.answered),
        ):
            if n:
                total.add(status, n)
    return total


# --- the heatmap ----------------------------------------------------------------------------


@dataclass
class HeatCell:
    score: float | None
    systems: int  # systems of the unit with an applicable item in the group

    @property
    def css(self) -> str:
        return band(self.score)


@dataclass
class HeatRow:
    unit: Unit
    cells: list[HeatCell]
    score: HeatCell  # the average of the unit's systems' overall scores
    assessed: int  # systems whose latest assessment is against this library
    systems: int  # systems of the unit


@dataclass
class Heatmap:
    library: Library | None
    groups: list[Requirement] = field(default_factory=list)
    rows: list[HeatRow] = field(default_factory=list)


def libraries_assessed(assessments: QuerySet[Assessment]) -> list[tuple[Library, int]]:
    """Libraries of the systems' latest assessments with how many systems, most used first."""
    counts = Counter(latest(assessments).values_list("library_id", flat=True))
    libraries = Library.objects.in_bulk(list(counts))
    return sorted(
        ((libraries[pk], n) for pk, n in counts.items()),
        key=lambda pair: (-pair[1], -pair[0].valid_from.toordinal(), pair[0].ref_id),
    )


def heatmap(
    units: QuerySet[Unit],
    systems: QuerySet[InformationSystem],
    assessments: QuerySet[Assessment],
    library: Library | None,
) -> Heatmap:
    """Units (those operating a system) × top-level groups of `library`: average scores."""
    if library is None:
        return Heatmap(None)
    chosen = list(latest(assessments).filter(library=library))
    top = top_groups([library])
    groups = sorted({g.pk: g for g in top.values()}.values(), key=lambda g: (g.order, g.pk))
    tallies = group_tallies(chosen, top)
    per_unit: dict[int, list[Assessment]] = defaultdict(list)
    for assessment in chosen:
        per_unit[assessment.unit_id].append(assessment)
    system_counts = Counter(systems.values_list("unit_id", flat=True))
    rows = []
    for unit in in_tree_order(units.filter(pk__in=list(system_counts))):
        mine = per_unit.get(unit.pk, [])
        cells = []
        for group in groups:
            scores = [
                t.score for a in mine if (t := tallies[a.pk].get(group.pk)) and t.score is not None
            ]
            cells.append(HeatCell(_mean(scores), len(scores)))
        totals = [s for a in mine if (s := overall(tallies[a.pk]).score) is not None]
        rows.append(
            HeatRow(
                unit, cells, HeatCell(_mean(totals), len(totals)), len(mine), system_counts[unit.pk]
            )
        )
    return Heatmap(library, groups, rows)


# --- systems by level, and those needing attention -------------------------------------------


@dataclass
class LevelRow:
    level: int | None
    total: int = 0
    by_dossier: dict[str, int] = field(default_factory=dict)

    @property
    def approved(self) -> int:
        return self.by_dossier.get(InformationSystem.Dossier.APPROVED, 0)

    @property
    def dossier_counts(self) -> list[int]:
        """Counts in the order of `InformationSystem.Dossier` (the table's columns)."""
        return [self.by_dossier.get(value, 0) for value in InformationSystem.Dossier.values]


def systems_by_level(systems: QuerySet[InformationSystem]) -> list[LevelRow]:
    """Levels 1-5 then "no level": how many systems, and how many per dossier status."""
    rows = {level: LevelRow(level) for level in (1, 2, 3, 4, 5, None)}
    counted = (
        systems.values_list("security_level", "dossier_status").annotate(n=Count("id")).order_by()
    )
    for level, dossier, n in counted:
        row = rows.setdefault(level, LevelRow(level))
        row.total += n
        row.by_dossier[dossier] = row.by_dossier.get(dossier, 0) + n
    return list(rows.values())


@dataclass
class Attention:
    """A system without an approved level, or not assessed within its required interval."""

    system: InformationSystem
    level_missing: bool
    not_approved: bool
    last_done: dt.date | None
    every_months: int | None
    assessment_due: dt.date | None  # set when an assessment is owed (today if never assessed)

    @property
    def never_assessed(self) -> bool:
        return self.last_done is None

    @property
    def needs_assessment(self) -> bool:
        return self.assessment_due is not None


def needing_attention(
    systems: QuerySet[InformationSystem], today: dt.date, duty_rows: list | None = None
) -> list[Attention]:
    """Systems with no approved level, never assessed, or last assessed too long ago.

    The interval is the strictest reassessment duty of the libraries in force for the
    system's level (see `duties`); with none, only a system never assessed is listed.
    """
    duty_rows = duties.duties_in_force(today) if duty_rows is None else duty_rows
    rows = list(systems.select_related("unit", "regime").order_by("unit__path", "name"))
    done = duties.last_completed(rows)
    found = []
    for system in rows:
        last = done.get(system.pk)
        months = duties.reassessment_months(system.security_level, duty_rows)
        due = None
        if last is None:
            due = today
        elif months and duties.add_months(last, months) < today:
            due = duties.add_months(last, months)
        item = Attention(
            system=system,
            level_missing=system.security_level is None,
            not_approved=not system.level_approved,
            last_done=last,
            every_months=months,
            assessment_due=due,
        )
        if item.not_approved or item.needs_assessment:
            found.append(item)
    return found


# --- gaps per system, for the reports -------------------------------------------------------


@dataclass
class SystemGaps:
    system: InformationSystem
    assessment: Assessment | None
    tally: Tally | None
    groups: dict[int, Tally]
    gaps: list[AssessmentItem]


def system_gaps(
    systems: QuerySet[InformationSystem], assessments: QuerySet[Assessment]
) -> tuple[list[SystemGaps], dict[int, Requirement]]:
    """Each system with its latest assessment, its scores per group and its gaps.

    Also returns the group map (requirement id -> top-level group) of the libraries used.
    """
    rows = list(systems.select_related("unit", "regime").order_by("unit__path", "name"))
    newest = {a.system_id: a for a in latest(assessments.filter(system__in=rows))}
    top = top_groups(list({a.library for a in newest.values()}))
    tallies = group_tallies(list(newest.values()), top)
    gaps_of: dict[int, list[AssessmentItem]] = defaultdict(list)
    for item in assessing.gaps(Assessment.objects.filter(pk__in=[a.pk for a in newest.values()])):
        gaps_of[item.assessment_id].append(item)
    for items in gaps_of.values():
        items.sort(key=lambda i: (i.requirement.order, i.pk))
    out = []
    for system in rows:
        a = newest.get(system.pk)
        groups = tallies.get(a.pk, {}) if a else {}
        out.append(
            SystemGaps(
                system=system,
                assessment=a,
                tally=overall(groups) if a else None,
                groups=groups,
                gaps=gaps_of.get(a.pk, []) if a else [],
            )
        )
    return out, top
