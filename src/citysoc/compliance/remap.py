"""Move assessment answers from retired library rows to the rows that replace them.

When a library version drops rows that assessments point to, the loader keeps them (they
apply at no level). A new row names the rows it takes over in `replaces`. For an assessment
at level L, an item on an old row moves to the new row that replaces it at level L, with its
answer, note, evidence link and files. Several old items landing on one new row are merged:
the weakest answer wins (not met < partly < met < not applicable), notes and links are kept
side by side, every file moves. An old item with no new row at the assessment's level stays
where it is if it holds anything (answer, note, link, file) and is removed only when empty.
Every move is written to the assessment's `library_changes` so the unit can see it. Nothing
with evidence is ever deleted.

The functions take the app registry, so the data migration (historical models) and the
loader (the real models) run the same code.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps as global_apps
from django.utils import timezone

NOT_ASSESSED = "not_assessed"
# Lower is weaker; the merged item keeps the weakest answer.
RANK = {"not_met": 0, "partly": 1, "met": 2, "not_applicable": 3}


@dataclass
class RemapReport:
    """What one run did, for the operator."""

    moved: int = 0
    merged: int = 0
    kept_unmapped: int = 0
    removed_empty: int = 0
    added: int = 0
    assessments: set[int] = field(default_factory=set)

    def lines(self) -> list[str]:
        if not self.assessments:
            return []
        return [
            f"{len(self.assessments)} assessment(s) moved to the new rows: {self.moved} item(s) "
            f"moved, {self.merged} merged into another, {self.kept_unmapped} kept on their old "
            f"row (no row at that level), {self.removed_empty} empty item(s) removed, "
            f"{self.added} new item(s) added to assessments in progress"
        ]


def remap_library(library_id: int, *, apps=global_apps) -> RemapReport:
    """Move the items of every assessment of one library from replaced rows to their successors."""
    Requirement = apps.get_model("compliance", "Requirement")
    AssessmentItem = apps.get_model("compliance", "AssessmentItem")
    rows = list(Requirement.objects.filter(library_id=library_id))
    targets: dict[tuple[str, int], object] = {}
    for row in rows:
        for urn in row.replaces or []:
            for level in row.levels or []:
                targets[(urn, level)] = row
    report = RemapReport()
    old = {r.pk: r for r in rows if any((r.urn, lvl) in targets for lvl in range(1, 6))}
    if not old:
        return report
    items = (
        AssessmentItem.objects.filter(requirement_id__in=old)
        .select_related("assessment")
        .order_by("assessment_id", "requirement__order", "pk")
    )
    per_assessment = defaultdict(list)
    for item in items:
        per_assessment[item.assessment_id].append(item)
    for assessment_items in per_assessment.values():
        _remap_assessment(assessment_items, old, targets, rows, apps, report)
    return report


def remap_all(apps=global_apps) -> RemapReport:
    """Every library (for the data migration)."""
    Library = apps.get_model("compliance", "Library")
    total = RemapReport()
    for library_id in Library.objects.values_list("pk", flat=True):
        one = remap_library(library_id, apps=apps)
        for name in ("moved", "merged", "kept_unmapped", "removed_empty", "added"):
            setattr(total, name, getattr(total, name) + getattr(one, name))
        total.assessments |= one.assessments
    return total


def _remap_assessment(items, old, targets, rows, apps, report: RemapReport) -> None:
    AssessmentItem = apps.get_model("compliance", "AssessmentItem")
    ItemEvidence = apps.get_model("compliance", "ItemEvidence")
    assessment = items[0].assessment
    level = assessment.level
    lines: list[str] = []
    for item in items:
        source = old[item.requirement_id]
        target = targets.get((source.urn, level))
        files = ItemEvidence.objects.filter(item_id=item.pk).count()
        if target is None:
            if _is_empty(item) and not files:
                item.delete()
                report.removed_empty += 1
                lines.append(f"- {source.ref_id}: no row at level {level}; empty item removed")
            else:
                report.kept_unmapped += 1
                lines.append(
                    f"- {source.ref_id}: no row at level {level} in the new text; "
                    "kept as it was (answer and evidence unchanged)"
                )
            continue
        existing = AssessmentItem.objects.filter(
            assessment_id=assessment.pk, requirement_id=target.pk
        ).first()
        if existing is None:
            item.requirement_id = target.pk
            item.save(update_fields=["requirement"])
            report.moved += 1
            lines.append(f"- {source.ref_id} → {target.ref_id}")
            continue
        _merge(existing, item, source.ref_id)
        ItemEvidence.objects.filter(item_id=item.pk).update(item_id=existing.pk)
        item.delete()
        report.merged += 1
        lines.append(f"- {source.ref_id} → {target.ref_id} (merged with another item)")
    if assessment.status == "in_progress":
        current = [r for r in rows if r.pk not in old]
        report.added += _add_missing(assessment, current, AssessmentItem)
    report.assessments.add(assessment.pk)
    stamp = timezone.localdate().strftime("%d/%m/%Y")
    head = f"{stamp}: library rows rebuilt; answers moved to the new rows:"
    text = "\n".join([head, *lines])
    assessment.library_changes = (
        f"{assessment.library_changes}\n\n{text}" if assessment.library_changes else text
    )
    assessment.save(update_fields=["library_changes"])


def _is_empty(item) -> bool:
    return (
        item.status == NOT_ASSESSED
        and not item.note
        and not item.evidence_link
        and not item.reason
        and not item.gap_owner
    )


def _merge(into, other, other_ref: str) -> None:
    """Fold `other` into `into`: the weakest answer wins; notes and links are all kept."""
    if other.status != NOT_ASSESSED and (
        into.status == NOT_ASSESSED or RANK[other.status] < RANK[into.status]
    ):
        into.status = other.status
        into.reason = other.reason or into.reason
        into.gap_owner = other.gap_owner or into.gap_owner
        into.gap_due = other.gap_due or into.gap_due
    notes = [into.note] if into.note else []
    if other.note:
        notes.append(f"[{other_ref}] {other.note}")
    if other.evidence_link and other.evidence_link != into.evidence_link:
        if into.evidence_link:
            notes.append(f"[{other_ref}] {other.evidence_link}")
        else:
            into.evidence_link = other.evidence_link
    into.note = "\n".join(notes)
    if other.assessed_on and (into.assessed_on is None or other.assessed_on > into.assessed_on):
        into.assessed_on, into.assessor_id = other.assessed_on, other.assessor_id
    into.save()


def _add_missing(assessment, rows, AssessmentItem) -> int:
    """An assessment in progress gets the rows of its level it has no item for yet."""
    have = set(
        AssessmentItem.objects.filter(assessment_id=assessment.pk).values_list(
            "requirement_id", flat=True
        )
    )
    new = [
        AssessmentItem(assessment_id=assessment.pk, requirement_id=r.pk)
        for r in sorted(rows, key=lambda r: (r.order, r.pk))
        if r.assessable and assessment.level in (r.levels or []) and r.pk not in have
    ]
    AssessmentItem.objects.bulk_create(new)
    return len(new)
