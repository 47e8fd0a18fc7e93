"""The finding page: what the scanner said, its priority and deadline, and the work on it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from citysoc.core.downloads import stored_file
from citysoc.core.tenancy import can_edit
from citysoc.vulns import forms, priority, work
from citysoc.vulns.models import Finding, FindingEvidence, KnownExploited

ACTIONS = {
    "assign": forms.AssignForm,
    "comment": forms.CommentForm,
    "evidence": forms.EvidenceForm,
    "fixed": forms.FixedForm,
    "accept": forms.AcceptForm,
    "false_positive": forms.ReasonForm,
    "reopen": forms.ReopenForm,
}


def get_finding(user, pk: int) -> Finding:
    findings = Finding.objects.visible_to(user).select_related(
        "unit", "host", "system", "assignee", "status_by", "last_scan"
    )
    return get_object_or_404(findings, pk=pk)


def _form(action: str, finding: Finding, data=None, files=None):
    cls = ACTIONS[action]
    kwargs = {"unit": finding.unit} if cls is forms.AssignForm else {}
    return cls(data, files, prefix=action, **kwargs)


def do_action(finding: Finding, action: str, data: dict, *, by) -> None:
    """Run one work action with cleaned data (shared by the page and the API)."""
    if action == "assign":
        work.assign(finding, data.get("assignee"), by=by)
    elif action == "comment":
        work.comment(finding, data["text"], by=by)
    elif action == "evidence":
        work.attach(finding, data["file"], by=by, note=data.get("note", ""))
    elif action == "fixed":
        work.mark_fixed(finding, by=by, note=data.get("note", ""))
    elif action == "accept":
        work.accept_risk(finding, by=by, reason=data["reason"], until=data["until"])
    elif action == "false_positive":
        work.false_positive(finding, by=by, reason=data["reason"])
    elif action == "reopen":
        work.reopen(finding, by=by, reason=data.get("reason", ""))


@login_required
def finding_detail(request, pk: int):
    finding = get_finding(request.user, pk)
    editable = can_edit(request.user, finding.unit)
    bound = {}
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("Your role in this unit is read-only."))
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            messages.error(request, _("Unknown action."))
            return redirect("vulns:finding-detail", pk=pk)
        form = _form(action, finding, request.POST, request.FILES)
        if form.is_valid():
            try:
                do_action(finding, action, form.cleaned_data, by=request.user)
            except ValidationError as exc:
                _errors_onto(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("vulns:finding-detail", pk=pk)
        bound[action] = form
    forms_ = {a: bound.get(a) or _form(a, finding) for a in ACTIONS} if editable else {}
    kev = KnownExploited.objects.filter(cve__in=finding.cves).order_by("date_added")
    vector = priority.parse_vector(finding.cvss_vector)
    context = {
        "f": finding,
        "editable": editable,
        "forms": forms_,
        "kev_entries": kev,
        "vector": vector,
        "reason": priority.reason_for(finding),
        "overdue": finding.is_overdue(timezone.localdate()),
        "notes": finding.notes.select_related("by"),
        "evidence": finding.evidence.all(),
    }
    return render(request, "vulns/finding_detail.html", context, status=400 if bound else 200)


def _errors_onto(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def evidence_download(request, pk: int):
    evidence = get_object_or_404(FindingEvidence.objects.visible_to(request.user), pk=pk)
    return stored_file(evidence)
