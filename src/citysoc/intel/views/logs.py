"""Log pages: uploads matched against the lists, their progress, and the watched folders.

Uploads and folders are unit-owned and come only through `visible_to(user)`.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citysoc.core.listing import build_table
from citysoc.core.models import Unit
from citysoc.intel import (
    forms,
    reasons,
    tasks,
)
from citysoc.intel.models import (
    LogFolder,
    LogUpload,
    Sighting,
)
from citysoc.intel.views.lists import may_manage_lists, require_list_manager

_BUSY_LOG = (LogUpload.Status.QUEUED, LogUpload.Status.RUNNING)


@login_required
def log_list(request):
    may_manage = may_manage_lists(request.user)
    folder_form = forms.LogFolderForm(request.POST or None, user=request.user)
    if request.method == "POST":
        # Folders are read from the hub's own disk, so only the city decides which.
        require_list_manager(request.user)
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
    require_list_manager(request.user)
    folder.delete()
    messages.success(request, _("Removed the folder %(path)s.") % {"path": folder.path})
    return redirect("intel:log-list")
