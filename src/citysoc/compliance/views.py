"""Assessment pages: my systems and their assessments, the checklist, gaps, history, diff.

Systems come from `InformationSystem.objects.visible_to(user)` and assessments from
`Assessment.objects.visible_to(user)`, so another unit's object answers 404; starting and
answering need `can_edit` on the unit (403 for a read-only role).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citysoc.compliance import assessing, forms
from citysoc.compliance.models import Assessment, AssessmentItem, ItemEvidence
from citysoc.core.downloads import stored_file
from citysoc.core.listing import build_table
from citysoc.core.tenancy import can_edit
from citysoc.inventory.forms import SystemFilter
from citysoc.inventory.models import InformationSystem

READ_ONLY = _("Your role in this unit is read-only.")


def _get_system(request, pk: int) -> InformationSystem:
    systems = InformationSystem.objects.visible_to(request.user).select_related("unit", "regime")
    return get_object_or_404(systems, pk=pk)


def _get_assessment(request, pk: int) -> Assessment:
    assessments = Assessment.objects.visible_to(request.user).select_related(
        "unit", "system", "library", "started_by"
    )
    return get_object_or_404(assessments, pk=pk)


def _require_edit(request, unit) -> None:
    if not can_edit(request.user, unit):
        raise PermissionDenied(READ_ONLY)


@login_required
def home(request):
    filters = SystemFilter(request.GET or None, user=request.user)
    systems = InformationSystem.objects.visible_to(request.user).select_related("unit", "regime")
    table = build_table(
        request.GET,
        filters.apply(systems),
        sort_fields={
            "name": ("name",),
            "unit": ("unit__path", "name"),
            "level": ("security_level", "name"),
            "dossier": ("dossier_status", "name"),
        },
        default_order=("unit__path", "name"),
    )
    page_systems = list(table.rows)
    latest = assessing.latest_per_system(
        Assessment.objects.visible_to(request.user).filter(system__in=page_systems)
    ).select_related("library")
    by_system = {a.system_id: a for a in latest}
    tallies = assessing.tallies(by_system.values())
    for system in page_systems:
        system.last_assessment = by_system.get(system.pk)
        system.tally = tallies.get(system.last_assessment.pk) if system.last_assessment else None
        system.may_assess = can_edit(request.user, system.unit)
    context = {"table": table, "systems": page_systems, "filters": filters}
    return render(request, "compliance/home.html", context)


@login_required
def assessment_start(request, pk: int):
    system = _get_system(request, pk)
    _require_edit(request, system.unit)
    libraries = assessing.libraries_for(system)
    form = forms.StartForm(request.POST or None, libraries=libraries)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = assessing.start(system, form.cleaned_data["library"], by=request.user)
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Assessment started at level %(level)d; requirements to check: %(n)d.")
                % {"n": assessment.items.count(), "level": assessment.level},
            )
            return redirect("compliance:assessment-detail", pk=assessment.pk)
    context = {"system": system, "form": form, "libraries": libraries}
    return render(request, "compliance/assessment_start.html", context)


@login_required
def assessment_detail(request, pk: int):
    assessment = _get_assessment(request, pk)
    may_answer = (
        can_edit(request.user, assessment.unit)
        and assessment.status == Assessment.Status.IN_PROGRESS
    )
    sections = assessing.checklist(assessment)
    if may_answer:
        for section in sections:
            for item in section.items:
                item.form = forms.AnswerForm(prefix=f"i{item.pk}", initial=_initial(item))
    overall = assessing.tallies([assessment])[assessment.pk]
    context = {
        "object": assessment,
        "sections": sections,
        "overall": overall,
        "may_answer": may_answer,
        "today": timezone.localdate(),
    }
    return render(request, "compliance/assessment_detail.html", context)


def _initial(item: AssessmentItem) -> dict:
    status = "" if item.status == AssessmentItem.Status.NOT_ASSESSED else item.status
    return {
        "status": status,
        "reason": item.reason,
        "note": item.note,
        "evidence_link": item.evidence_link,
        "gap_owner": item.gap_owner,
        "gap_due": item.gap_due,
    }


def _save_answer(request, item: AssessmentItem, form: forms.AnswerForm) -> bool:
    data = dict(form.cleaned_data)
    upload = data.pop("file", None)
    try:
        # Answer and file together or neither: a refused file must not leave the status
        # saved as if the evidence had come with it.
        with transaction.atomic():
            assessing.answer(item, by=request.user, **data)
            if upload is not None:
                assessing.attach(item, by=request.user, file=upload)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
        return False
    return True


@login_required
def item_detail(request, pk: int):
    """One checklist item: its requirement and answer; its editors answer it here too."""
    visible = Assessment.objects.visible_to(request.user).values("pk")
    item = get_object_or_404(
        AssessmentItem.objects.filter(assessment__in=visible).select_related(
            "requirement", "assessment__unit", "assessment__system", "assessment__library"
        ),
        pk=pk,
    )
    assessment = item.assessment
    may_answer = can_edit(request.user, assessment.unit)
    form = forms.AnswerForm(prefix=f"i{item.pk}", initial=_initial(item))
    if request.method == "POST":
        _require_edit(request, assessment.unit)
        form = forms.AnswerForm(request.POST, request.FILES, prefix=f"i{item.pk}")
        if form.is_valid() and _save_answer(request, item, form):
            messages.success(
                request, _("Saved the answer for %(ref)s.") % {"ref": item.requirement.ref_id}
            )
            url = reverse("compliance:assessment-detail", args=[assessment.pk])
            return redirect(f"{url}#item-{item.pk}")
    item.thresholds = assessing.thresholds_at(item.requirement, assessment.level)
    context = {
        "item": item,
        "object": assessment,
        "form": form,
        "may_answer": may_answer and assessment.status == Assessment.Status.IN_PROGRESS,
        "today": timezone.localdate(),
    }
    return render(request, "compliance/item_detail.html", context)


@login_required
def assessment_complete(request, pk: int):
    assessment = _get_assessment(request, pk)
    if request.method == "POST":
        _require_edit(request, assessment.unit)
        try:
            assessing.complete(assessment)
        except ValueError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The assessment is completed."))
        return redirect("compliance:assessment-detail", pk=pk)
    context = {
        "object": assessment,
        "overall": assessing.tallies([assessment])[assessment.pk],
        "may_answer": can_edit(request.user, assessment.unit),
    }
    return render(request, "compliance/assessment_complete.html", context)


@login_required
def assessment_gaps(request, pk: int):
    assessment = _get_assessment(request, pk)
    context = {
        "object": assessment,
        "gaps": assessing.gaps(assessment),
        "today": timezone.localdate(),
    }
    return render(request, "compliance/assessment_gaps.html", context)


@login_required
def gap_list(request):
    """The gaps of the latest assessment of every system the user can see."""
    filters = forms.GapFilter(request.GET or None)
    latest = assessing.latest_per_system(Assessment.objects.visible_to(request.user))
    queryset = assessing.gap_queryset(latest).select_related(
        "requirement", "assessment__system", "assessment__unit"
    )
    today = timezone.localdate()
    if filters.is_valid():
        if filters.cleaned_data["overdue"]:
            queryset = queryset.filter(gap_due__lt=today)
        if filters.cleaned_data["status"]:
            queryset = queryset.filter(status=filters.cleaned_data["status"])
    table = build_table(
        request.GET,
        queryset,
        sort_fields={
            "due": ("gap_due",),
            "system": ("assessment__system__name", "requirement__order"),
            "unit": ("assessment__unit__path", "assessment__system__name"),
            "status": ("status", "gap_due"),
        },
        default_order=("gap_due", "assessment__system__name", "requirement__order"),
    )
    context = {"table": table, "filters": filters, "today": today}
    return render(request, "compliance/gap_list.html", context)


@login_required
def system_history(request, pk: int):
    system = _get_system(request, pk)
    assessments = list(
        Assessment.objects.visible_to(request.user)
        .filter(system=system)
        .select_related("library", "started_by")
    )
    tallies = assessing.tallies(assessments)
    for a in assessments:
        a.tally = tallies[a.pk]
    context = {
        "system": system,
        "assessments": assessments,
        "may_assess": can_edit(request.user, system.unit),
    }
    return render(request, "compliance/system_history.html", context)


def _pick(assessments: list[Assessment], raw: str | None, default: Assessment | None):
    if raw and raw.isdigit():
        for a in assessments:
            if a.pk == int(raw):
                return a
        raise Http404
    return default


@login_required
def system_diff(request, pk: int):
    """Two assessments of the system side by side; by default the latest two."""
    system = _get_system(request, pk)
    assessments = list(
        Assessment.objects.visible_to(request.user).filter(system=system).select_related("library")
    )
    after = _pick(assessments, request.GET.get("after"), assessments[0] if assessments else None)
    earlier = [a for a in assessments if after and a != after]
    before = _pick(assessments, request.GET.get("before"), earlier[0] if earlier else None)
    rows = assessing.diff(before, after) if before and after else []
    context = {
        "system": system,
        "assessments": assessments,
        "before": before,
        "after": after,
        "rows": rows,
        "changed": sum(1 for r in rows if r.changed),
    }
    return render(request, "compliance/system_diff.html", context)


@login_required
def evidence_download(request, pk: int):
    visible = Assessment.objects.visible_to(request.user).values("pk")
    evidence = get_object_or_404(ItemEvidence.objects.filter(item__assessment__in=visible), pk=pk)
    return stored_file(evidence)
