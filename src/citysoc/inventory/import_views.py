"""Import and export pages: upload, preview with every error, progress, results, downloads.

The views only fetch, check permissions and call `importing` / `exporting`; the reading,
validation and writing run in tasks (`inventory.tasks.check_import` / `run_import`).
"""

from __future__ import annotations

import io
import itertools
import logging
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from citysoc.core.tenancy import scope_for
from citysoc.inventory import exporting, import_errors, import_jobs, spreadsheets, tasks
from citysoc.inventory.import_kinds import KINDS, map_header
from citysoc.inventory.models import ImportJob

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger(__name__)

PREVIEW_ROWS = 10
ERRORS_ON_PAGE = 500
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def kinds_for(user) -> list[tuple[str, StrOrPromise]]:
    """The kinds this user may import; the address plan is the city's tool only."""
    scope = scope_for(user)
    return [
        (value, label)
        for value, label in ImportJob.Kind.choices
        if value != ImportJob.Kind.ADDRESS_PLAN or scope.is_city
    ]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"))
    file = forms.FileField(label=_("File (.xlsx or .csv)"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = kinds_for(user)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)d MB; the limit is %(limit)d MB. Split it into parts.")
                % {"size": upload.size // 2**20, "limit": settings.UPLOAD_MAX_BYTES // 2**20}
            )
        try:
            if spreadsheets.file_format(upload.name) == "xlsx":
                spreadsheets.check_xlsx(upload)  # refused at once, not after a queue wait
        except spreadsheets.SpreadsheetError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload


def _can_import(user) -> bool:
    scope = scope_for(user)
    return scope.everything or bool(scope.edit_paths)


@login_required
def start(request):
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST":
        if not _can_import(request.user):
            raise PermissionDenied
        if form.is_valid():
            return _create_job(request, form)
    jobs = ImportJob.objects.visible_to(request.user).filter(user=request.user)[:10]
    context = {
        "form": form,
        "jobs": jobs,
        "kinds": kinds_for(request.user),
        "export_kinds": [(k, ImportJob.Kind(k).label) for k in exporting.EXPORT_KINDS],
        "can_import": _can_import(request.user),
        "max_mb": settings.UPLOAD_MAX_BYTES // 2**20,
    }
    return render(request, "inventory/import_start.html", context)


def _create_job(request, form):
    upload = form.cleaned_data["file"]
    job = ImportJob(
        unit=import_jobs.home_unit(request.user),
        user=request.user,
        kind=form.cleaned_data["kind"],
        filename=Path(upload.name).name[:255],
    )
    job.file.save(job.filename, upload, save=False)
    job.save()
    tasks.check_import.enqueue(job.pk)
    return redirect("inventory:import-job", pk=job.pk)


def _job_for(request, pk: int) -> ImportJob:
    # A job is seen by whoever may see its unit, but only its author or a city role acts on it.
    job = get_object_or_404(ImportJob.objects.visible_to(request.user), pk=pk)
    if job.user_id != request.user.pk and not scope_for(request.user).is_city:
        raise Http404
    return job


@login_required
def job_page(request, pk: int):
    job = _job_for(request, pk)
    context = {"job": job, "busy": job.status in _BUSY, "status_url": _status_url(job)}
    if job.status in (ImportJob.Status.VALIDATED, ImportJob.Status.FAILED):
        context.update(_preview(job))
        shown = import_errors.listed(job.errors)[:ERRORS_ON_PAGE]
        context["errors"] = shown
        context["more_errors"] = max(0, import_errors.total(job.errors) - len(shown))
    return render(request, "inventory/import_job.html", context)


_BUSY = (ImportJob.Status.UPLOADED, ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)


def _status_url(job: ImportJob) -> str:
    return reverse("inventory:import-status", args=[job.pk])


def _preview(job: ImportJob) -> dict:
    """The first rows as read and the column mapping; cheap because reading streams."""
    try:
        table = spreadsheets.open_table(job.file.path, job.filename)
        width = len(table.header)
        # Reading goes on lazily here: a bad line among the first rows (a 30 MB cell)
        # raises while the preview is read, and the page then shows the job's message.
        preview = [
            (number, [("" if c is None else c) for c in (list(cells) + [None] * width)[:width]])
            for number, cells in itertools.islice(table.rows, PREVIEW_ROWS)
        ]
    except (spreadsheets.SpreadsheetError, OSError):
        return {}
    mapping = map_header(job.kind, table.header)
    return {
        "sheet": table.sheet,
        "header": [("" if h is None else h) for h in table.header],
        "preview": preview,
        "mapped": [(str(table.header[i]), col) for i, col in sorted(mapping.by_index.items())],
        "ignored": mapping.ignored,
        "missing": [c.header for c in mapping.missing],
        "valid_count": max(0, job.total_rows - job.rejected_count),
    }


@login_required
def status(request, pk: int):
    job = _job_for(request, pk)
    phase = job.message if job.status == ImportJob.Status.RUNNING else job.status
    return JsonResponse(
        {
            "status": job.status,
            "phase": phase,
            "processed_rows": job.processed_rows,
            "total_rows": job.total_rows,
            "percent": job.percent,
            "finished": job.status not in _BUSY,
            "created": job.created_count,
            "updated": job.updated_count,
            "rejected": job.rejected_count,
            "url": reverse("inventory:import-job", args=[job.pk]),
        }
    )


@require_POST
@login_required
def confirm(request, pk: int):
    job = _job_for(request, pk)
    if job.status != ImportJob.Status.VALIDATED:
        messages.error(request, _("This import is not waiting for confirmation."))
        return redirect("inventory:import-job", pk=job.pk)
    valid_only = request.POST.get("valid_only") == "1"
    if job.rejected_count and not valid_only:
        messages.error(
            request,
            _(
                "The file has errors. Correct them and upload again, or tick 'import the valid "
                "rows only'."
            ),
        )
        return redirect("inventory:import-job", pk=job.pk)
    job.valid_only = valid_only
    job.status = ImportJob.Status.QUEUED
    job.processed_rows = 0
    job.save(update_fields=["valid_only", "status", "processed_rows"])
    tasks.run_import.enqueue(job.pk)
    return redirect("inventory:import-job", pk=job.pk)


@login_required
def rejected(request, pk: int):
    job = _job_for(request, pk)
    if not job.rejected_file:
        raise Http404
    name = f"{Path(job.filename).stem}-rejected{Path(job.rejected_file.name or '').suffix}"
    return FileResponse(job.rejected_file.open("rb"), as_attachment=True, filename=name)


@login_required
def errors(request, pk: int):
    job = _job_for(request, pk)
    lines = spreadsheets.csv_lines(
        ["Trang tính / Sheet", "Dòng / Row", "Cột / Column", "Lỗi / Reason"],
        ([e["sheet"], e["row"], e["column"], e["reason"]] for e in job.errors),
    )
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{Path(job.filename).stem}-errors.csv"'
    return response


@login_required
def template(request, kind: str):
    if kind not in KINDS:
        raise Http404
    out = io.BytesIO()
    exporting.template_xlsx(out, kind)
    response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="citysoc-{kind}-template.xlsx"'
    return response


@login_required
def export(request):
    kind = request.GET.get("kind", "")
    fmt = request.GET.get("format", "xlsx")
    if kind not in exporting.EXPORT_KINDS or fmt not in ("xlsx", "csv"):
        raise Http404
    filename = f"citysoc-{kind}.{fmt}"
    if fmt == "csv":
        lines = (s.encode("utf-8") for s in exporting.export_csv_lines(kind, request.user))
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    # openpyxl needs a seekable file; a temporary file keeps memory flat for big exports.
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    exporting.export_xlsx(spool, kind, request.user)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
