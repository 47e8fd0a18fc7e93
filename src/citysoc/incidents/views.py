"""Incident pages: the list with overdue flags, the city view, a case with everything around
it, the actions on a case, reports as files, observable search, playbooks and contacts.

Another unit's case answers 404; acting on one checks `can_edit` and answers 403.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citysoc.alerts.incidents import add_note, display_name
from citysoc.alerts.models import Incident
from citysoc.core.models import Unit
from citysoc.core.tenancy import can_edit, scope_for
from citysoc.incidents import (
    casework,
    contacts,
    deadlines,
    forms,
    observables,
    opening,
    overview,
    playbooks,
    reporting,
    serious,
)
from citysoc.incidents.models import Evidence, Report, Task
from citysoc.inventory.models import InformationSystem

LIST_LIMIT = 200


def _case(request, pk: int) -> Incident:
    return get_object_or_404(
        Incident.objects.visible_to(request.user).select_related("unit"), pk=pk
    )


def _editable_case(request, pk: int) -> Incident:
    incident = _case(request, pk)
    if not can_edit(request.user, incident.unit):
        raise PermissionDenied
    return incident


@login_required
def home(request):
    qs = Incident.objects.visible_to(request.user).filter(merged_into=None)
    status = request.GET.get("status", "open")
    if status == "open":
        qs = qs.filter(closed_at=None)
    elif status == "closed":
        qs = qs.exclude(closed_at=None)
    kind = request.GET.get("kind", "")
    if kind in Incident.Kind.values:
        qs = qs.filter(kind=kind)
    unit = request.GET.get("unit", "")
    if unit:
        qs = qs.filter(unit__code=unit)
    rows = list(qs.select_related("unit").prefetch_related("systems", "reports")[:LIST_LIMIT])
    now = timezone.now()
    cases = []
    cache: dict = {}
    for case in rows:
        due = deadlines.deadlines_for(case, cache)
        unmet = [d.due_at for d in due if d.met_at is None]
        cases.append({"case": case, "report_due": min(unmet) if unmet else None,
                      "overdue": any(d.overdue(now) for d in due)})  # fmt: skip
    context = {
        "cases": cases,
        "status": status,
        "kind": kind,
        "unit": unit,
        "kinds": Incident.Kind.choices,
        "units": Unit.objects.visible_to(request.user).filter(incidents__isnull=False).distinct(),
        "may_open": bool(Unit.objects.editable_by(request.user).exists()),
        "summaries": deadlines.summaries_due(timezone.localdate()),
    }
    return render(request, "incidents/home.html", context)


@login_required
def city(request):
    rows = overview.by_unit(Incident.objects.visible_to(request.user), timezone.now())
    context = {
        "rows": rows,
        "by_kind": [(Incident.Kind(k).label, n) for k, n in overview.open_by_kind(rows).items()],
        "summaries": deadlines.summaries_due(timezone.localdate()),
    }
    return render(request, "incidents/city.html", context)


@login_required
def new(request):
    units = Unit.objects.editable_by(request.user)
    if not units.exists():
        raise PermissionDenied
    form = forms.NewCaseForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        unit, title, severity = data.pop("unit"), data.pop("title"), data.pop("severity")
        data = {k: v for k, v in data.items() if v not in (None, "")}
        incident = opening.open_by_hand(
            unit, by=request.user, title=title, severity=severity, **data
        )
        return redirect("incidents:detail", pk=incident.pk)
    return render(request, "incidents/new.html", {"form": form})


@login_required
def detail(request, pk: int):
    incident = _case(request, pk)
    may_act = can_edit(request.user, incident.unit)
    obs = list(incident.observables.all())
    day = timezone.localdate(incident.detected)
    context = {
        "incident": incident,
        "may_act": may_act,
        "deadlines": deadlines.deadlines_for(incident),
        "now": timezone.now(),
        "serious": deadlines.is_serious(incident),
        "criteria": [(c, c.code in incident.serious_criteria) for c in serious.CRITERIA],
        "article": serious.article(day),
        "observables": obs,
        "intel": observables.intel_hits([o.value for o in obs]),
        "similar": observables.similar(incident, request.user),
        "systems": incident.systems.all(),
        "tasks": incident.tasks.select_related("owner"),
        "evidence": incident.evidence.all(),
        "people": incident.people.all(),
        "reports": incident.reports.all(),
        "contacts": contacts.directory(incident.unit, timezone.localdate()),
        "timeline": casework.timeline(incident),
        "forms": _action_forms(incident, request.user) if may_act else {},
    }
    return render(request, "incidents/detail.html", context)


def _action_forms(incident: Incident, user) -> dict:
    systems = InformationSystem.objects.filter(unit=incident.unit).order_by("name")
    return {
        "case": forms.CaseForm(instance=incident),
        "observable": forms.ObservableForm(),
        "system": forms.SystemForm(systems=systems),
        "task": forms.TaskForm(),
        "evidence": forms.EvidenceForm(),
        "person": forms.ParticipantForm(),
        "report": forms.ReportForm(),
        "close": forms.CloseForm(),
        "merge": forms.MergeForm(),
    }


@login_required
@require_POST
def edit(request, pk: int):
    incident = _editable_case(request, pk)
    form = forms.CaseForm(request.POST, instance=incident)
    if form.is_valid():
        form.save()
        add_note(incident, by=request.user, text=_("Case details updated."))
    else:
        messages.error(request, _("Not saved: %(e)s") % {"e": form.errors.as_text()})
    return redirect("incidents:detail", pk=pk)


@login_required
@require_POST
def act(request, pk: int, action: str):
    """One action on a case (the buttons of its page)."""
    incident = _editable_case(request, pk)
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404
    try:
        answer = handler(request, incident)
    except (casework.CaseError, observables.BadObservable, playbooks.PlaybookError) as exc:
        messages.error(request, str(exc))
        answer = None
    except Invalid as exc:
        messages.error(request, _("Not saved: %(e)s") % {"e": exc.form.errors.as_text()})
        answer = None
    return answer or redirect("incidents:detail", pk=pk)


class Invalid(Exception):  # noqa: N818 - a form's refusal, not a program error
    """A form of an action did not validate: its errors go to the page's messages."""

    def __init__(self, form) -> None:
        self.form = form


def _observable(request, incident):
    form = forms.ObservableForm(request.POST)
    if not form.is_valid():
        raise Invalid(form)
    d = form.cleaned_data
    observables.add(incident, d["value"], d["kind"], d["note"])


def _system(request, incident):
    systems = InformationSystem.objects.filter(unit=incident.unit)
    form = forms.SystemForm(request.POST, systems=systems)
    if not form.is_valid():
        raise Invalid(form)
    opening.add_system(incident, form.cleaned_data["system"])


def _task(request, incident):
    form = forms.TaskForm(request.POST)
    if not form.is_valid():
        raise Invalid(form)
    task = form.save(commit=False)
    task.incident, task.position = incident, incident.tasks.count() + 1
    task.save()


def _task_done(request, incident):
    task = get_object_or_404(Task, pk=request.POST.get("task") or 0, incident=incident)
    casework.complete_task(task, by=request.user)


def _evidence(request, incident):
    form = forms.EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        raise Invalid(form)
    upload = form.cleaned_data["file"]
    Evidence.objects.create(
        incident=incident,
        file=upload,
        name=upload.name[:255],
        size=upload.size,
        sha256=form.sha256,
        note=form.cleaned_data["note"],
        uploaded_by=display_name(request.user),
    )
    add_note(incident, by=request.user, text=_("Evidence added: %(n)s") % {"n": upload.name})


def _person(request, incident):
    form = forms.ParticipantForm(request.POST)
    if not form.is_valid():
        raise Invalid(form)
    person = form.save(commit=False)
    person.incident = incident
    person.save()


def _playbook(request, incident):
    tasks = playbooks.apply(incident, by=request.user)
    messages.success(request, _("%(n)s tasks added from the playbook.") % {"n": len(tasks)})


def _report(request, incident):
    form = forms.ReportForm(request.POST)
    if not form.is_valid():
        raise Invalid(form)
    report = reporting.record(
        incident, form.cleaned_data["form"], by=request.user, text=form.cleaned_data["text"]
    )
    messages.success(request, _("Report made: download it, sign it, send it, then mark it sent."))
    return redirect("incidents:report-docx", pk=report.pk)


def _report_sent(request, incident):
    report = get_object_or_404(Report, pk=request.POST.get("report") or 0, incident=incident)
    reporting.mark_sent(report, by=request.user)


def _end_response(request, incident):
    casework.end_response(incident, by=request.user)


def _close(request, incident):
    form = forms.CloseForm(request.POST)
    if not form.is_valid():
        raise Invalid(form)
    casework.close(incident, by=request.user, lessons=form.cleaned_data["lessons"])


def _merge(request, incident):
    form = forms.MergeForm(request.POST)
    if not form.is_valid():
        raise Invalid(form)
    into = Incident.objects.editable_by(request.user).filter(pk=form.cleaned_data["into"]).first()
    if into is None:
        raise casework.CaseError(_("No incident with that number that you may change."))
    casework.merge(incident, into, by=request.user)
    return redirect("incidents:detail", pk=into.pk)


def _acknowledge(request, incident):
    casework.acknowledge(incident, by=request.user)


ACTIONS = {
    "observable": _observable,
    "system": _system,
    "task": _task,
    "task-done": _task_done,
    "evidence": _evidence,
    "person": _person,
    "playbook": _playbook,
    "report": _report,
    "report-sent": _report_sent,
    "end-response": _end_response,
    "close": _close,
    "merge": _merge,
    "acknowledge": _acknowledge,
}


@login_required
def report_file(request, pk: int, fmt: str):
    """A made report as DOCX or PDF, filled from the case as it is now."""
    report = get_object_or_404(
        Report.objects.visible_to(request.user).select_related("incident"), pk=pk
    )
    if report.incident is None or fmt not in reporting.FORMATS:
        raise Http404
    form_doc = reporting.form_for(report.incident, report.form, text=report.text)
    return _file(
        reporting.render(form_doc, fmt), f"bao-cao-{report.form}-{report.incident_id}.{fmt}", fmt
    )


def _file(data: bytes, name: str, fmt: str) -> HttpResponse:
    response = HttpResponse(data, content_type=reporting.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def summary(request):
    """Mẫu 05 of a unit the user may see, for a half-year or a year."""
    unit = get_object_or_404(
        Unit.objects.visible_to(request.user), code=request.GET.get("unit", "")
    )
    try:
        start = dt.date.fromisoformat(request.GET.get("from", ""))
        end = dt.date.fromisoformat(request.GET.get("to", ""))
    except ValueError:
        start, end = _this_half_year()
    fmt = request.GET.get("fmt", "docx")
    if fmt not in reporting.FORMATS:
        raise Http404
    form_doc = reporting.summary_for(unit, start, end)
    return _file(reporting.render(form_doc, fmt), f"mau-05-{unit.code}-{end:%Y%m%d}.{fmt}", fmt)


@login_required
def profile(request):
    """Mẫu 01 / Mẫu 02: the unit's network-member profile, pre-filled."""
    from citysoc.incidents.national_forms import member_profile

    unit = get_object_or_404(
        Unit.objects.visible_to(request.user), code=request.GET.get("unit", "")
    )
    form, fmt = request.GET.get("form", "01"), request.GET.get("fmt", "docx")
    if form not in ("01", "02") or fmt not in reporting.FORMATS:
        raise Http404
    form_doc = member_profile(unit, form, timezone.localdate())
    return _file(reporting.render(form_doc, fmt), f"mau-{form}-{unit.code}.{fmt}", fmt)


def _this_half_year() -> tuple[dt.date, dt.date]:
    from citysoc.incidents.national_forms import half_year

    return half_year(timezone.localdate())


@login_required
def evidence_file(request, pk: int):
    evidence = get_object_or_404(Evidence.objects.visible_to(request.user), pk=pk)
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name)


@login_required
def search(request):
    query = request.GET.get("q", "")
    rows = observables.search(request.user, query)[:LIST_LIMIT] if len(query.strip()) >= 3 else []
    return render(request, "incidents/search.html", {"q": query, "rows": rows})


OPENABLE = {
    "alerts.alert": ("alerts", "Alert"),
    "intel.cleanuptask": ("intel", "CleanupTask"),
    "webwatch.finding": ("webwatch", "Finding"),
    "vulns.finding": ("vulns", "Finding"),
}


@login_required
@require_POST
def open_from(request):
    """Open a case from another area's row (`source` = its model label, `id`)."""
    from django.apps import apps

    label = request.POST.get("source", "")
    if label not in OPENABLE:
        raise Http404
    model = apps.get_model(*OPENABLE[label])
    row = get_object_or_404(model.objects.visible_to(request.user), pk=request.POST.get("id") or 0)
    if not can_edit(request.user, row.unit):
        raise PermissionDenied
    incident = opening.open_from(row, by=request.user)
    return redirect("incidents:detail", pk=incident.pk)


@login_required
def playbook_list(request):
    kinds = [
        (k, label, playbooks.text_for(k) != playbooks.shipped_text(k))
        for k, label in Incident.Kind.choices
    ]
    return render(
        request,
        "incidents/playbook_list.html",
        {"kinds": kinds, "may_edit": scope_for(request.user).city_editor},
    )


@login_required
def playbook_edit(request, kind: str):
    if kind not in Incident.Kind.values:
        raise Http404
    may_edit = scope_for(request.user).city_editor
    form = forms.PlaybookForm(request.POST or None, initial={"text": playbooks.text_for(kind)})
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                playbooks.save(kind, form.cleaned_data["text"], by=display_name(request.user))
                messages.success(request, _("Playbook saved."))
                return redirect("incidents:playbook-edit", kind=kind)
            except playbooks.PlaybookError as exc:
                form.add_error("text", str(exc))
    steps = _steps_or_none(playbooks.text_for(kind))
    context = {
        "kind": kind,
        "label": Incident.Kind(kind).label,
        "form": form,
        "may_edit": may_edit,
        "steps": steps,
    }
    return render(request, "incidents/playbook_edit.html", context)


def _steps_or_none(text: str):
    try:
        return playbooks.parse(text)
    except playbooks.PlaybookError:
        return None


@login_required
def contact_list(request):
    units = Unit.objects.editable_by(request.user)
    scope = scope_for(request.user)
    form = forms.ContactForm(request.POST or None, units=units)
    if request.method == "POST":
        if not units.exists():
            raise PermissionDenied
        if form.is_valid():
            if form.cleaned_data["unit"] is None and not scope.city_editor:
                form.add_error("unit", _("Only the city may add a contact every unit sees."))
            else:
                form.save()
                return redirect("incidents:contacts")
    mine = (
        Unit.objects.visible_to(request.user).order_by("path").first()
        if not scope.city_reader
        else None
    )
    context = {
        "entries": contacts.directory(mine, timezone.localdate()),
        "form": form,
        "may_add": units.exists(),
    }
    return render(request, "incidents/contacts.html", context)
