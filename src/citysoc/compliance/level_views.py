"""The level helper page of one system: answer the criteria, see the level each regime
proposes and why, and confirm one (which sets the system's level and regime).

The questions and the rules are the libraries' (`levels`); the form is pre-filled with
what the inventory already knows. Anyone who sees the system may try the helper; storing
a proposal and confirming it need `can_edit` on the system's unit. Confirming leaves the
dossier status alone: submitting, appraisal and approval stay with the inventory's
dossier workflow. Checking answers, storing a proposal and confirming a level are domain
functions in `level_proposals`, shared with the API.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from citysoc.compliance import levels
from citysoc.compliance.level_proposals import confirm_level, record_proposal
from citysoc.compliance.models import LevelProposal, Library
from citysoc.core.tenancy import can_edit
from citysoc.inventory.models import InformationSystem, SecurityRegime

YES, NO = "yes", "no"


# --- the form -------------------------------------------------------------------------------


def _text(question: levels.Question) -> str:
    return question.text_en if get_language() == "en" and question.text_en else question.text


def _choices(question: levels.Question) -> list[tuple[str, str]]:
    english = get_language() == "en"
    return [(value, en if english else vi) for value, vi, en in question.choices]


def _field(question: levels.Question) -> forms.Field:
    label = _text(question)
    if question.kind == "bool":
        choices = [("", "—"), (YES, gettext_lazy("Yes")), (NO, gettext_lazy("No"))]
        return forms.ChoiceField(label=label, choices=choices, required=False)
    if question.kind == "int":
        return forms.IntegerField(label=label, min_value=0, required=False)
    if question.kind == "multi":
        return forms.MultipleChoiceField(
            label=label,
            choices=_choices(question),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
    return forms.ChoiceField(label=label, choices=[("", "—"), *_choices(question)], required=False)


class LevelForm(forms.Form):
    """One field per question of the libraries in force (and of the regime they replaced)."""

    def __init__(self, *args, questions: list[levels.Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[question.id] = _field(question)

    def answers(self) -> dict[str, Any]:
        """The answered questions, typed; a question left blank is not an answer."""
        out: dict[str, Any] = {}
        for question in self.questions:
            value = self.cleaned_data.get(question.id)
            if value in (None, "", []):
                continue
            out[question.id] = value == YES if question.kind == "bool" else value
        return out


def initial_from(answers: dict[str, Any]) -> dict[str, Any]:
    return {k: (YES if v else NO) if isinstance(v, bool) else v for k, v in answers.items()}


# --- the page -------------------------------------------------------------------------------


def _get_system(request, pk: int) -> InformationSystem:
    systems = InformationSystem.objects.visible_to(request.user).select_related("unit", "regime")
    return get_object_or_404(systems, pk=pk)


def results(proposal: LevelProposal) -> list[dict]:
    """The proposal per regime, with the regime and library rows, newest regime first."""
    english = get_language() == "en"
    regimes = SecurityRegime.objects.in_bulk(list(proposal.proposals), field_name="code")
    urns = [entry.get("library", "") for entry in proposal.proposals.values()]
    libraries = Library.objects.in_bulk(urns, field_name="urn")
    rows = []
    for code, entry in proposal.proposals.items():
        reasons = entry.get("reasons_en") if english and entry.get("reasons_en") else None
        rows.append(
            {
                "code": code,
                "regime": regimes.get(code),
                "library": libraries.get(entry.get("library", "")),
                "level": entry["level"],
                "reasons": reasons or entry.get("reasons", []),
                "procedure": levels.procedure_for(
                    libraries.get(entry.get("library", "")), entry["level"]
                ),
                "confirmed": proposal.confirmed_regime is not None
                and proposal.confirmed_regime.code == code,
            }
        )
    return sorted(
        rows, key=lambda r: r["regime"].valid_from.toordinal() if r["regime"] else 0, reverse=True
    )


@login_required
def level_helper(request, pk: int):
    system = _get_system(request, pk)
    may_edit = can_edit(request.user, system.unit)
    asked = levels.questions()
    if request.method == "POST" and request.POST.get("action") == "confirm":
        return _confirm(request, system, may_edit)
    form = LevelForm(
        request.POST or None,
        questions=asked,
        initial=initial_from(levels.answers_from_system(system)),
    )
    proposal = None
    if request.method == "POST" and form.is_valid():
        if may_edit:
            proposal = record_proposal(system, form.answers(), by=request.user)
            return redirect(f"{request.path}?proposal={proposal.pk}")
        # A read-only role may try the helper; nothing is stored for them.
        proposal = LevelProposal(system=system, unit=system.unit, answers=form.answers())
        proposal.proposals = {c: p.as_json() for c, p in levels.propose(form.answers()).items()}
    elif request.GET.get("proposal", "").isdigit():
        proposal = get_object_or_404(
            LevelProposal.objects.visible_to(request.user).filter(system=system),
            pk=int(request.GET["proposal"]),
        )
        form = LevelForm(questions=asked, initial=initial_from(proposal.answers))
    context = {
        "system": system,
        "form": form,
        "questions": asked,
        "proposal": proposal,
        "results": results(proposal) if proposal else [],
        "may_edit": may_edit,
        "history": LevelProposal.objects.visible_to(request.user)
        .filter(system=system)
        .select_related("confirmed_regime", "created_by")[:10],
    }
    return render(request, "compliance/level_helper.html", context)


def _confirm(request, system: InformationSystem, may_edit: bool):
    if not may_edit:
        raise PermissionDenied(_("Your role in this unit is read-only."))
    chosen = request.POST.get("proposal", "")
    proposal = get_object_or_404(
        LevelProposal.objects.visible_to(request.user).filter(system=system),
        pk=int(chosen) if chosen.isdigit() else 0,
    )
    before = (system.security_level, system.dossier_status)
    try:
        system = confirm_level(proposal, request.POST.get("regime", ""), by=request.user)
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect(f"{request.path}?proposal={proposal.pk}")
    messages.success(
        request,
        _("Level %(level)d under %(regime)s is set for %(system)s.")
        % {"level": system.security_level, "regime": system.regime, "system": system},
    )
    if before[0] not in (None, system.security_level) and before[1] != system.Dossier.NONE:
        messages.warning(
            request,
            _(
                "The level dossier (%(dossier)s) was prepared for level %(old)d. Update the "
                "dossier in the inventory and have the new level approved."
            )
            % {"dossier": system.get_dossier_status_display(), "old": before[0]},
        )
    return redirect("inventory:system-detail", pk=system.pk)
