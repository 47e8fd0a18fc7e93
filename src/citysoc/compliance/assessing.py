"""Assessments of an information system against a framework library.

`start()` builds the checklist (one item per requirement that applies at the system's
level), `answer()` and `attach()` record each item, `progress()` and `gaps()` summarise,
`diff()` compares two assessments of the same system and `complete()` closes one.

The score counts met as 1, partly met as 0.5 and not met as 0, over every item that
applies: "not applicable" items are left out, and items not assessed yet count as 0, so
a score of 100 % means every applicable requirement was checked and found met.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from citysoc.compliance import libraries
from citysoc.compliance.models import (
    Assessment,
    AssessmentItem,
    ItemEvidence,
    Library,
    Requirement,
)
from citysoc.compliance.tally import Tally
from citysoc.inventory.models import InformationSystem, SecurityRegime

Status = AssessmentItem.Status
ANSWERS = (Status.MET, Status.PARTLY, Status.NOT_MET, Status.NOT_APPLICABLE)


# --- starting -------------------------------------------------------------------------------


def libraries_for(system: InformationSystem, on: datetime.date | None = None) -> list[Library]:
    """Libraries in force on `on` (today) for the system's regime, the choice when starting.

    A system whose level was set under a regime that no longer has a library in force
    (or that has no regime recorded) is offered the libraries of the regime in force.
    """
    day = on or timezone.localdate()
    regimes = [system.regime] if system.regime is not None else []
    current = SecurityRegime.in_force(day)
    if current is not None and current not in regimes:
        regimes.append(current)
    for regime in regimes:
        found = [
            lib
            for lib in regime.libraries.order_by("-valid_from", "ref_id")
            if lib.in_force_on(day)
        ]
        if found:
            return found
    return []


def start(system: InformationSystem, library: Library, *, by, title: str = "") -> Assessment:
    """Open an assessment of `system` at its security level with one item per requirement."""
    level = system.security_level
    if level is None:
        raise ValueError(
            _(
                "'%(system)s' has no security level yet. Set its level in the inventory "
                "(or with the level helper) before assessing it."
            )
            % {"system": system}
        )
    requirements = libraries.requirements_for(
        library, level, assessable_only=True, unit_kind=system.unit.kind
    )
    if not requirements:
        raise ValueError(
            _("The library '%(library)s' has no requirement for level %(level)d.")
            % {"library": library.ref_id, "level": level}
        )
    with transaction.atomic():
        assessment = Assessment.objects.create(
            unit=system.unit,
            system=system,
            library=library,
            level=level,
            library_version=library.version,
            started_by=by,
            title=title[:200],
        )
        # One audit entry for the assessment is enough; the items are its checklist.
        AssessmentItem.objects.bulk_create(
            AssessmentItem(assessment=assessment, requirement=r) for r in requirements
        )
    return assessment


# --- answering ------------------------------------------------------------------------------


def _check_open(item: AssessmentItem) -> None:
    assessment = item.assessment
    if assessment.status == Assessment.Status.COMPLETED:
        raise ValidationError(
            _(
                "This assessment was completed on %(day)s and can no longer change. "
                "Start a new assessment of the system to record the current state."
            )
            % {
                "day": assessment.completed_on.strftime("%d/%m/%Y")
                if assessment.completed_on
                else ""
            }
        )


def answer(
    item: AssessmentItem,
    *,
    by,
    status: str,
    note: str = "",
    reason: str = "",
    evidence_link: str = "",
    gap_owner: str = "",
    gap_due: datetime.date | None = None,
) -> AssessmentItem:
    """Record the answer for one item; "not applicable" needs a reason.

    The gap owner and due date are kept only for partly met / not met items, the reason
    only for not applicable ones, so a changed answer leaves nothing stale behind.
    """
    _check_open(item)
    if status not in ANSWERS:
        raise ValidationError({"status": _("Unknown status '%(s)s'.") % {"s": status}})
    if status == Status.NOT_APPLICABLE and not reason.strip():
        raise ValidationError(
            {"reason": _("Say why this requirement does not apply to the system.")}
        )
    is_gap = status in AssessmentItem.GAPS
    item.status = status
    item.note = note
    item.reason = reason.strip() if status == Status.NOT_APPLICABLE else ""
    item.evidence_link = evidence_link
    item.gap_owner = gap_owner.strip() if is_gap else ""
    item.gap_due = gap_due if is_gap else None
    item.assessor = by
    item.assessed_on = timezone.localdate()
    with transaction.atomic():
        item.save()
    return item


def attach(item: AssessmentItem, *, by, file: UploadedFile, note: str = "") -> ItemEvidence:
    """Store one evidence file for the item, refusing files over UPLOAD_MAX_BYTES."""
    from django.conf import settings

    _check_open(item)
    limit = settings.UPLOAD_MAX_BYTES
    if file.size is not None and file.size > limit:
        raise ValidationError(
            {
                "file": _(
                    "'%(name)s' is %(size)d MB; the limit is %(limit)d MB. "
                    "Send a smaller file or a PDF of the key pages."
                )
                % {"name": file.name, "size": file.size // 2**20, "limit": limit // 2**20}
            }
        )
    with transaction.atomic():
        return ItemEvidence.objects.create(
            item=item,
            file=file,
            filename=(file.name or "evidence")[:255],
            note=note[:300],
            uploaded_by=by,
        )


def complete(assessment: Assessment, *, on: datetime.date | None = None) -> Assessment:
    """Close the assessment once every item has an answer."""
    if assessment.status == Assessment.Status.COMPLETED:
        return assessment
    missing = assessment.items.filter(status=Status.NOT_ASSESSED).count()
    if missing:
        raise ValueError(
            _("Items not assessed yet: %(n)d. Answer them before completing the assessment.")
            % {"n": missing}
        )
    assessment.status = Assessment.Status.COMPLETED
    assessment.completed_on = on or timezone.localdate()
    with transaction.atomic():
        assessment.save()
    return assessment


# --- progress and score ---------------------------------------------------------------------


@dataclass
class GroupProgress:
    group: Requirement | None
    tally: Tally = field(default_factory=Tally)


@dataclass(frozen=True)
class Progress:
    overall: Tally
    groups: list[GroupProgress]


def _top_groups(library: Library) -> dict[int, Requirement]:
    """Requirement id → its top-level ancestor (itself for a top-level node)."""
    nodes = {r.pk: r for r in library.requirements.all()}
    top: dict[int, Requirement] = {}
    for pk, node in nodes.items():
        seen = node
        while seen.parent_id is not None and seen.parent_id in nodes:
            seen = nodes[seen.parent_id]
        top[pk] = seen
    return top


def progress(assessment: Assessment) -> Progress:
    """Overall and per top-level group: counts, percent answered and score."""
    top = _top_groups(assessment.library)
    overall = Tally()
    groups: dict[int | None, GroupProgress] = {}
    rows = assessment.items.values_list("requirement_id", "status").order_by(
        "requirement__order", "requirement_id"
    )
    for requirement_id, status in rows:
        group = top.get(requirement_id)
        key = group.pk if group is not None else None
        groups.setdefault(key, GroupProgress(group)).tally.add(status)
        overall.add(status)
    return Progress(overall=overall, groups=list(groups.values()))


def tallies(assessments: Iterable[Assessment]) -> dict[int, Tally]:
    """Assessment id → its overall tally, in one query for all of them."""
    ids = [a.pk for a in assessments]
    result = {pk: Tally() for pk in ids}
    rows = (
        AssessmentItem.objects.filter(assessment_id__in=ids)
        .values_list("assessment_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for assessment_id, status, n in rows:
        result[assessment_id].add(status, n)
    return result


_COUNTED = {
    "n_total": None,
    "n_met": Status.MET,
    "n_partly": Status.PARTLY,
    "n_not_met": Status.NOT_MET,
    "n_not_applicable": Status.NOT_APPLICABLE,
}


def with_tallies(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """Annotate each assessment with its answer counts (one query for a whole list)."""
    return assessments.annotate(
        **{
            name: Count("items", filter=Q(items__status=status) if status else None)
            for name, status in _COUNTED.items()
        }
    )


def tally_from_annotations(assessment: Assessment) -> Tally:
    """The tally of an assessment from `with_tallies()`, or counted now if not annotated."""
    if not hasattr(assessment, "n_total"):
        return tallies([assessment])[assessment.pk]
    return Tally(
        total=assessment.n_total,
        met=assessment.n_met,
        partly=assessment.n_partly,
        not_met=assessment.n_not_met,
        not_applicable=assessment.n_not_applicable,
    )


def latest_per_system(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """Only the most recent assessment of each system among `assessments`."""
    newest = (
        Assessment.objects.filter(system=OuterRef("system"))
        .order_by("-started_on", "-id")
        .values("pk")[:1]
    )
    return assessments.filter(pk=Subquery(newest))


# --- gaps and comparison --------------------------------------------------------------------


def gap_queryset(assessments: Assessment | QuerySet[Assessment]) -> QuerySet[AssessmentItem]:
    """The partly met and not met items of one assessment or of several."""
    if isinstance(assessments, Assessment):
        items = assessments.items.all()
    else:
        items = AssessmentItem.objects.filter(assessment__in=assessments)
    return items.filter(status__in=AssessmentItem.GAPS)


def gaps(assessments: Assessment | QuerySet[Assessment]) -> list[AssessmentItem]:
    """Partly met and not met items with their owner and due date, soonest due first."""
    rows = gap_queryset(assessments).select_related(
        "requirement", "assessment__system", "assessment__unit", "assessor"
    )
    far = datetime.date.max
    return sorted(
        rows,
        key=lambda i: (i.gap_due or far, i.assessment_id, i.requirement.order, i.pk),
    )


def is_overdue(item: AssessmentItem, today: datetime.date | None = None) -> bool:
    return item.gap_due is not None and item.gap_due < (today or timezone.localdate())


@dataclass(frozen=True)
class DiffRow:
    """One requirement (matched by URN) in the earlier and the later assessment."""

    urn: str
    ref_id: str
    title: str
    before: str | None  # None: the requirement was not in that assessment
    after: str | None

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @property
    def before_label(self) -> str:
        return str(Status(self.before).label) if self.before else ""

    @property
    def after_label(self) -> str:
        return str(Status(self.after).label) if self.after else ""


def diff(before: Assessment, after: Assessment) -> list[DiffRow]:
    """Compare two assessments of one system requirement by requirement.

    Requirements are matched by URN: a newer version of a library is loaded in place with
    the same URNs. Rows left unmatched (an assessment against another library, whose URNs
    differ) are then paired by their reference ("7.2.3.1"); what is still unmatched, such
    as a requirement added or dropped, shows None on the other side.
    """
    if before.system_id != after.system_id:
        raise ValueError(_("Only two assessments of the same system can be compared."))
    old = _by_urn(before)
    new = _by_urn(after)
    by_ref = {i.requirement.ref_id: i for urn, i in old.items() if urn not in new}
    rows, used = [], set()
    for urn, item in new.items():
        prior = old.get(urn) or by_ref.get(item.requirement.ref_id)
        if prior is not None:
            used.add(prior.pk)
        rows.append(_diff_row(item, prior.status if prior else None, item.status))
    rows.extend(_diff_row(i, i.status, None) for i in old.values() if i.pk not in used)
    return rows


def _by_urn(assessment: Assessment) -> dict[str, AssessmentItem]:
    items = assessment.items.select_related("requirement").order_by("requirement__order", "pk")
    return {i.requirement.urn: i for i in items}


def _diff_row(item: AssessmentItem, before: str | None, after: str | None) -> DiffRow:
    r = item.requirement
    return DiffRow(urn=r.urn, ref_id=r.ref_id, title=r.display_title, before=before, after=after)


# --- what the checklist page shows ----------------------------------------------------------


def thresholds_at(requirement: Requirement, level: int) -> dict[str, object]:
    """The requirement's quantitative thresholds for one level, e.g. {"log_retention_months": 6}."""
    key = str(level)
    return {
        name: per_level[key]
        for name, per_level in (requirement.thresholds or {}).items()
        if isinstance(per_level, dict) and key in per_level
    }


@dataclass
class Section:
    """One top-level group of the checklist: its progress and its items in order."""

    group: Requirement | None
    tally: Tally
    items: list[AssessmentItem] = field(default_factory=list)


def checklist(assessment: Assessment) -> list[Section]:
    """The items grouped under their top-level requirement group, with each group's tally.

    Each item gets `.heading` (the title of its direct parent group when that differs
    from the previous item's, for a sub-heading) and `.thresholds` (for this level).
    """
    top = _top_groups(assessment.library)
    parents = {r.pk: r for r in assessment.library.requirements.filter(assessable=False)}
    items = (
        assessment.items.select_related("requirement", "assessor")
        .prefetch_related("evidence")
        .order_by("requirement__order", "requirement_id")
    )
    sections: dict[int | None, Section] = {}
    previous_parent: dict[int | None, int | None] = defaultdict(lambda: None)
    for item in items:
        group = top.get(item.requirement_id)
        key = group.pk if group is not None else None
        section = sections.setdefault(key, Section(group, Tally()))
        section.tally.add(item.status)
        parent_id = item.requirement.parent_id
        parent = parents.get(parent_id) if parent_id is not None else None
        show = parent is not None and parent_id != key and previous_parent[key] != parent_id
        item.heading = parent if show else None
        previous_parent[key] = parent_id
        item.thresholds = thresholds_at(item.requirement, assessment.level)
        section.items.append(item)
    return list(sections.values())
