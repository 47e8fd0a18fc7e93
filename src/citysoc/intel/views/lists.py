"""Botnet-list pages: the lists and feeds, one version, its column mapping and sensor files.

Lists and sources are the city's: anyone logged in sees their names and counts and may
download a version for their sensors, but the indicators, the rejected rows and the uploads
are for city roles (`sees_lists`).
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
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citysoc.core.downloads import attachment
from citysoc.core.listing import build_table
from citysoc.core.models import Unit
from citysoc.core.tenancy import scope_for
from citysoc.intel import (
    compare,
    feeds,
    forms,
    importing,
    reasons,
    sensors,
    tasks,
)
from citysoc.intel.models import (
    IndicatorSource,
    ListVersion,
    sees_lists,
)

RECENT_VERSIONS = 20
REJECTED_ON_PAGE = 500


def may_manage_lists(user) -> bool:
    """Uploading lists and editing feeds: a city administrator or a city operator."""
    return scope_for(user).city_editor


def require_list_manager(user) -> None:
    if not may_manage_lists(user):
        raise PermissionDenied(_("Only the city's administrators and operators manage lists."))


def _sources() -> list[dict]:
    return [{"source": s, "staleness": feeds.staleness(s)} for s in IndicatorSource.objects.all()]


@login_required
def home(request):
    may_manage = may_manage_lists(request.user)
    form = forms.ListUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        require_list_manager(request.user)
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
    require_list_manager(request.user)
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
    require_list_manager(request.user)
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
    require_list_manager(request.user)
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
