"""Clean-up task pages: the list, one task with its work and evidence, the exports.

Tasks and evidence come only through `visible_to(user)`, so another unit's object answers
404; changes check `can_edit` and answer 403.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from citysoc.core.downloads import attachment, stored_file
from citysoc.core.listing import build_table
from citysoc.core.models import AuditEntry
from citysoc.core.tenancy import can_edit
from citysoc.intel import (
    cleanup,
    exporting,
    forms,
)
from citysoc.intel.models import (
    CleanupEvidence,
    CleanupTask,
    ListVersion,
    Sighting,
)

SIGHTINGS_ON_TASK = 100


def _filtered_tasks(request):
    filters = forms.TaskFilter(request.GET or None, user=request.user)
    queryset = CleanupTask.objects.visible_to(request.user).select_related("unit", "host")
    if filters.is_valid():
        data = filters.cleaned_data
        if data["status"] == "open_states":
            queryset = queryset.filter(status__in=CleanupTask.OPEN_STATES)
        elif data["status"]:
            queryset = queryset.filter(status=data["status"])
        if data["priority"]:
            queryset = queryset.filter(priority=data["priority"])
        if data["unit"]:
            queryset = queryset.filter(unit__path__startswith=data["unit"].path)
        if data["overdue"]:
            queryset = queryset.filter(
                status__in=CleanupTask.OPEN_STATES, due_date__lt=timezone.localdate()
            )
    return filters, queryset


@login_required
def task_list(request):
    filters, queryset = _filtered_tasks(request)
    table = build_table(
        request.GET,
        queryset,
        sort_fields={
            "priority": ("priority", "due_date"),
            "due": ("due_date",),
            "unit": ("unit__path", "ip"),
            "ip": ("ip",),
            "status": ("status", "due_date"),
        },
        default_order=("priority", "due_date", "unit__path"),
    )
    context = {
        "table": table,
        "filters": filters,
        "today": timezone.localdate(),
        "export_query": request.GET.urlencode(),
    }
    return render(request, "intel/task_list.html", context)


def _work_on(request, task: CleanupTask):
    """Handle the task page's forms; return the 'cleaned' form when it has errors."""
    if request.POST.get("action") == "start":
        if task.is_open:
            cleanup.start(task)
            messages.success(request, _("Marked as in progress."))
        return None
    form = forms.CleanedForm(request.POST, request.FILES)
    if not task.is_open:
        messages.error(request, _("This task is not open: there is nothing to report."))
        return None
    if not form.is_valid():
        return form
    data = form.cleaned_data
    with transaction.atomic():
        cleanup.report_cleaned(
            task, user=request.user, tool=data["tool"], findings=data["findings"]
        )
        upload = data["file"]
        if upload:
            CleanupEvidence.objects.create(
                task=task,
                file=upload,
                filename=Path(upload.name).name[:255],
                note=data["note"],
                uploaded_by=request.user,
            )
    messages.success(request, _("Reported cleaned. The next list will verify it."))
    return None


def _status_label(value) -> str:
    try:
        return str(CleanupTask.Status(value).label) if value else ""
    except ValueError:
        return str(value)


@login_required
def task_detail(request, pk: int):
    task = get_object_or_404(
        CleanupTask.objects.visible_to(request.user).select_related(
            "unit", "host", "opened_by_version__source", "last_seen_version__source", "cleaned_by"
        ),
        pk=pk,
    )
    may_work = can_edit(request.user, task.unit)
    form = None
    if request.method == "POST":
        if not may_work:
            raise PermissionDenied(_("Your role in this unit is read-only."))
        form = _work_on(request, task)
        if form is None:
            return redirect("intel:task-detail", pk=pk)
    sightings = (
        Sighting.objects.visible_to(request.user)
        .filter(unit=task.unit, ip=task.ip)
        .select_related("version__source", "log", "host")
        .order_by("-created_at")[:SIGHTINGS_ON_TASK]
    )
    history = [
        (entry, _status_label(entry.changes.get("after", {}).get("status")))
        for entry in AuditEntry.objects.filter(
            model=CleanupTask._meta.label_lower, object_id=str(task.pk)
        ).order_by("-at")[:50]
    ]
    context = {
        "task": task,
        "may_work": may_work,
        "form": form or forms.CleanedForm(),
        "sightings": sightings,
        "evidence": task.evidence.all(),
        "history": history,
        "overdue": task.overdue,
    }
    return render(request, "intel/task_detail.html", context)


@login_required
def evidence_download(request, pk: int):
    tasks_seen = CleanupTask.objects.visible_to(request.user).values("pk")
    evidence = get_object_or_404(CleanupEvidence.objects.filter(task__in=tasks_seen), pk=pk)
    return stored_file(evidence)


@login_required
def tasks_xlsx(request):
    _filters, queryset = _filtered_tasks(request)
    data = exporting.tasks_xlsx(queryset, today=timezone.localdate())
    name = f"xu-ly-botnet-{timezone.localdate():%Y%m%d}.xlsx"
    return attachment(data, exporting.XLSX_CONTENT_TYPE, name)


@login_required
def report_docx(request):
    from citysoc.directives.templating import TemplateError, city_root

    version = None
    if request.GET.get("version", "").isdigit():
        version = get_object_or_404(ListVersion, pk=int(request.GET["version"]))
    try:
        city = city_root()
    except TemplateError:
        city = None
    data = exporting.report_docx(
        CleanupTask.objects.visible_to(request.user),
        version=version,
        sightings=exporting.visible_sightings(Sighting.objects.visible_to(request.user)),
        today=timezone.localdate(),
        city=city,
    )
    name = f"bao-cao-botnet-{timezone.localdate():%Y%m%d}.docx"
    return attachment(data, exporting.DOCX_CONTENT_TYPE, name)
