"""Botnet-list pages: lists and feeds, a version, clean-up tasks, sightings, logs, the city.

Unit-owned rows (tasks, sightings, logs, folders, evidence) come only through
`visible_to(user)`, so another unit's object answers 404; changes check `can_edit` and
answer 403. Lists and sources are the city's: anyone logged in sees their names and
counts and may download a version for their sensors, but the indicators, the rejected
rows and the uploads are for city roles (`sees_lists`).
"""

from __future__ import annotations

import io
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citysoc.core.downloads import attachment, stored_file
from citysoc.core.listing import build_table
from citysoc.core.models import AuditEntry, Unit
from citysoc.core.tenancy import can_edit, scope_for
from citysoc.intel import (
    cleanup,
    compare,
    exporting,
    feeds,
    forms,
    importing,
    overview,
    reasons,
    sensors,
    tasks,
)
from citysoc.intel.models import (
    CleanupEvidence,
    CleanupTask,
    IndicatorSource,
    ListVersion,
    LogFolder,
    LogUpload,
    Sighting,
    sees_lists,
)

RECENT_VERSIONS = 20
REJECTED_ON_PAGE = 500
SIGHTINGS_ON_TASK = 100


def may_manage_lists(user) -> bool:
    """Uploading lists and editing feeds: a city administrator or a city operator."""
    return scope_for(user).city_editor


def _require_list_manager(user) -> None:
    if not may_manage_lists(user):
        raise PermissionDenied(_("Only the city's administrators and operators manage lists."))


# ---- lists and feeds ---------------------------------------------------------------------


def _sources() -> list[dict]:
    return [{"source": s, "staleness": feeds.staleness(s)} for s in IndicatorSource.objects.all()]


@login_required
def home(request):
    may_manage = may_manage_lists(request.user)
    form = forms.ListUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        _require_list_manager(request.user)
        if form.is_valid():
            return _receive_upload(request, form)
    context = {
        "sources": _sources(),
        "versions": ListVersion.objects.select_related("source")[:RECENT_VERSIONS],
        "form": form,
        "may_manage": may_manage,
        "sees_lists": sees_lists(request.user),
    }
    return render(request, "intel/home.html", context)


def _receive_upload(request, form):
    data = form.cleaned_data
    upload = data["file"]
    try:
        source = data["source"] or importing.source_named(data["new_source"], format="auto")
    except ValueError as exc:
        form.add_error("new_source", str(exc))
        return None
    version, created = importing.receive(
        source,
        upload.read(),
        Path(upload.name).name,
        period=data["period"],
        user=request.user,
        format=data["format"],
    )
    if created:
        tasks.import_version.enqueue(version.pk)
        version.refresh_from_db(fields=["status"])
        if version.status in _BUSY_VERSION:
            messages.success(request, _("The list is queued for import."))
    else:
        messages.warning(
            request, _("This file was already imported for this source: here is that version.")
        )
    return redirect("intel:version-detail", pk=version.pk)


@login_required
def source_edit(request, pk: int | None = None):
    _require_list_manager(request.user)
    source = get_object_or_404(IndicatorSource, pk=pk) if pk else None
    form = forms.SourceForm(request.POST or None, instance=source)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("Saved %(object)s.") % {"object": saved.name})
        return redirect("intel:home")
    return render(request, "intel/source_form.html", {"form": form, "object": source})


@login_required
@require_POST
def feeds_pull(request):
    _require_list_manager(request.user)
    tasks.pull_feeds.enqueue()
    messages.success(request, _("The feeds that are due will be pulled by the worker."))
    return redirect("intel:home")


# ---- one list version ----------------------------------------------------------------


_BUSY_VERSION = (ListVersion.Status.QUEUED, ListVersion.Status.RUNNING)


def _indicator_table(request, version: ListVersion):
    queryset = version.indicators.all()
    query = request.GET.get("q", "").strip()
    if query:
        queryset = queryset.filter(
            Q(value__icontains=query) | Q(family__icontains=query) | Q(isp__icontains=query)
        )
    return build_table(
        request.GET,
        queryset,
        sort_fields={"row": ("row",), "value": ("value",), "family": ("family", "row")},
        default_order=("row",),
    )


def _mapping_form(version: ListVersion, data=None):
    meta = version.meta or {}
    if version.status != ListVersion.Status.FAILED or "headers" not in meta:
        return None
    return forms.ColumnMappingForm(data, headers=meta["headers"], guessed=meta.get("guessed") or {})


@login_required
def version_detail(request, pk: int):
    version = get_object_or_404(ListVersion.objects.select_related("source"), pk=pk)
    city = sees_lists(request.user)
    done = version.status == ListVersion.Status.DONE
    context = {
        "version": version,
        "busy": version.status in _BUSY_VERSION,
        "sees_lists": city,
        "may_manage": may_manage_lists(request.user),
        "changes": compare.compare(version, Unit.objects.visible_to(request.user)) if done else [],
        "exports": sensors.EXPORTS.items() if done else [],
        "rows_total": version.indicator_count + version.rejected_count,
    }
    if city:
        context["rejected"] = reasons.translated_rows(version.rejected[:REJECTED_ON_PAGE])
        context["more_rejected"] = max(0, len(version.rejected) - REJECTED_ON_PAGE)
        context["table"] = _indicator_table(request, version) if done else None
        context["query"] = request.GET.get("q", "")
    if may_manage_lists(request.user):
        context["mapping_form"] = _mapping_form(version)
    return render(request, "intel/version_detail.html", context)


@login_required
def version_status(request, pk: int):
    version = get_object_or_404(ListVersion, pk=pk)
    return JsonResponse(
        {
            "status": version.status,
            "finished": version.status not in _BUSY_VERSION,
            "indicators": version.indicator_count,
            "url": reverse("intel:version-detail", args=[version.pk]),
        }
    )


@login_required
@require_POST
def version_mapping(request, pk: int):
    _require_list_manager(request.user)
    version = get_object_or_404(ListVersion.objects.select_related("source"), pk=pk)
    form = _mapping_form(version, request.POST)
    if form is None:
        messages.error(request, _("This version is not waiting for a column mapping."))
        return redirect("intel:version-detail", pk=pk)
    if not form.is_valid():
        messages.error(request, _("Choose at least the column that holds the IP addresses."))
        return redirect("intel:version-detail", pk=pk)
    with transaction.atomic():
        source = version.source
        source.column_mapping = form.mapping()
        source.save(update_fields=["column_mapping"])
        ListVersion.objects.filter(pk=pk).update(
            status=ListVersion.Status.QUEUED, message="", meta={}, finished_at=None
        )
    tasks.import_version.enqueue(pk)
    messages.success(request, _("Columns saved for this source; the list is queued again."))
    return redirect("intel:version-detail", pk=pk)


def sensor_items(version: ListVersion):
    """The version's indicators as the sensor exporters take them."""
    label = version.label
    rows = version.indicators.order_by("row").values_list("value", "kind", "family", "is_c2")
    for value, kind, family, is_c2 in rows.iterator(chunk_size=5000):
        yield sensors.SensorIndicator(
            value=value,
            kind=kind,
            family=family,
            source=version.source.name,
            version=label,
            c2=is_c2,
        )


@login_required
def version_sensors(request, pk: int):
    """The whole list for a unit's own sensor: every unit may have it (it names no unit)."""
    version = get_object_or_404(
        ListVersion.objects.select_related("source"), pk=pk, status=ListVersion.Status.DONE
    )
    name = request.GET.get("as", "plain_csv")
    export = sensors.EXPORTS.get(name)
    if export is None:
        raise Http404
    out = io.StringIO()
    export.write(sensor_items(version), out)
    stem = slugify(f"{version.source.name}-{version.label}") or f"list-{version.pk}"
    return attachment(
        out.getvalue().encode("utf-8"), export.content_type, f"{stem}.{export.extension}"
    )


# ---- clean-up tasks ------------------------------------------------------------------


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
        return CleanupTask.Status(value).label if value else ""
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


# ---- sightings -------------------------------------------------------------------------


@login_required
def sighting_list(request):
    filters = forms.SightingFilter(request.GET or None, user=request.user)
    queryset = Sighting.objects.visible_to(request.user).select_related(
        "unit", "host", "version__source", "log"
    )
    if filters.is_valid():
        data = filters.cleaned_data
        if data["via"]:
            queryset = queryset.filter(via=data["via"])
        if data["unit"]:
            queryset = queryset.filter(unit__path__startswith=data["unit"].path)
        if data["version"]:
            queryset = queryset.filter(version=data["version"])
    table = build_table(
        request.GET,
        queryset,
        sort_fields={
            "seen": ("last_seen",),
            "unit": ("unit__path", "ip"),
            "ip": ("ip",),
            "recorded": ("created_at",),
        },
        default_order=("-created_at", "unit__path", "ip"),
    )
    return render(request, "intel/sighting_list.html", {"table": table, "filters": filters})


# ---- logs ----------------------------------------------------------------------------


_BUSY_LOG = (LogUpload.Status.QUEUED, LogUpload.Status.RUNNING)


@login_required
def log_list(request):
    may_manage = may_manage_lists(request.user)
    folder_form = forms.LogFolderForm(request.POST or None, user=request.user)
    if request.method == "POST":
        # Folders are read from the hub's own disk, so only the city decides which.
        _require_list_manager(request.user)
        if folder_form.is_valid():
            folder = folder_form.save()
            messages.success(request, _("Saved %(object)s.") % {"object": folder.path})
            return redirect("intel:log-list")
    table = build_table(
        request.GET,
        LogUpload.objects.visible_to(request.user).select_related("unit"),
        sort_fields={"uploaded": ("created_at",), "unit": ("unit__path",), "status": ("status",)},
        default_order=("-created_at",),
    )
    context = {
        "table": table,
        "folders": LogFolder.objects.visible_to(request.user).select_related("unit"),
        "folder_form": folder_form,
        "may_manage": may_manage,
        "may_upload": Unit.objects.editable_by(request.user).exists(),
    }
    return render(request, "intel/log_list.html", context)


@login_required
def log_upload(request):
    if not Unit.objects.editable_by(request.user).exists():
        raise PermissionDenied(_("Your role is read-only: you cannot upload logs."))
    form = forms.LogUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        log = LogUpload(
            unit=form.cleaned_data["unit"],
            filename=Path(upload.name).name[:255],
            format=form.cleaned_data["format"],
            size=upload.size,
            uploaded_by=request.user,
        )
        log.file.save(log.filename, upload, save=False)
        log.save()
        tasks.scan_log.enqueue(log.pk)
        return redirect("intel:log-detail", pk=log.pk)
    return render(request, "intel/log_upload.html", {"form": form})


def _rate(log: LogUpload) -> int:
    end = log.finished_at or timezone.now()
    seconds = (end - log.created_at).total_seconds()
    return int(log.records / seconds) if seconds > 0 else 0


@login_required
def log_detail(request, pk: int):
    log = get_object_or_404(
        LogUpload.objects.visible_to(request.user).select_related("unit"), pk=pk
    )
    sightings = (
        Sighting.objects.visible_to(request.user)
        .filter(log=log)
        .select_related("unit", "host", "version__source")
        .order_by("ip", "remote")
    )
    hosts: dict[str, dict] = {}
    for s in sightings:
        entry = hosts.setdefault(s.ip, {"ip": s.ip, "host": s.host, "unit": s.unit, "remotes": 0})
        entry["remotes"] += 1
    context = {
        "log": log,
        "busy": log.status in _BUSY_LOG,
        "rate": _rate(log),
        "sightings": sightings,
        "hosts": list(hosts.values()),
        "rejected": reasons.translated_rows(log.rejected),
    }
    return render(request, "intel/log_detail.html", context)


@login_required
def log_status(request, pk: int):
    log = get_object_or_404(LogUpload.objects.visible_to(request.user), pk=pk)
    return JsonResponse(
        {
            "status": log.status,
            "finished": log.status not in _BUSY_LOG,
            "percent": log.percent,
            "bytes_done": log.bytes_done,
            "size": log.size,
            "records": log.records,
            "rate": _rate(log),
            "url": reverse("intel:log-detail", args=[log.pk]),
        }
    )


@login_required
@require_POST
def folder_delete(request, pk: int):
    folder = get_object_or_404(LogFolder.objects.visible_to(request.user), pk=pk)
    _require_list_manager(request.user)
    folder.delete()
    messages.success(request, _("Removed the folder %(path)s.") % {"path": folder.path})
    return redirect("intel:log-list")


# ---- the city ------------------------------------------------------------------------


@login_required
def city(request):
    if not sees_lists(request.user):
        raise PermissionDenied(_("The city view is for the city's roles."))
    tasks_seen = CleanupTask.objects.visible_to(request.user)
    series = overview.infected_over_time(
        Sighting.objects.visible_to(request.user).filter(via=Sighting.Via.LIST)
    )
    sources = list(IndicatorSource.objects.filter(versions__status="done").distinct())
    chosen = request.GET.get("source", "")
    source = next((s for s in sources if str(s.pk) == chosen), sources[0] if sources else None)
    versions, trend = (
        compare.trend(source.pk, Unit.objects.visible_to(request.user)) if source else ([], {})
    )
    context = {
        "ranked": overview.units_ranked(tasks_seen),
        "bars": overview.chart_points(series),
        "statistics": overview.list_statistics(),
        "sources": sources,
        "source": source,
        "trend_versions": versions,
        "trend": trend,
    }
    return render(request, "intel/city.html", context)
