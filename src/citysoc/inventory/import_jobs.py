"""Import jobs: the web flow's two background steps (check, then import), and the
address-plan file the operator imports from the command line."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citysoc.core import audit
from citysoc.core.models import Unit
from citysoc.core.public_errors import without_server_paths
from citysoc.core.tenancy import scope_for
from citysoc.inventory import claims, import_errors, spreadsheets
from citysoc.inventory.import_records import Checked
from citysoc.inventory.importing import Progress, audit_import, check, rejected_rows, write
from citysoc.inventory.models import (
    ImportJob,
)

logger = logging.getLogger(__name__)

# Import jobs: the web flow's two background steps (check, then import)


def home_unit(user) -> Unit | None:
    """The unit an import job is filed under: the user's outermost unit, or the root."""
    scope = scope_for(user)
    paths = scope.edit_paths or scope.view_paths
    if scope.everything or not paths:
        return Unit.objects.filter(parent__isnull=True).order_by("path").first()
    return Unit.objects.filter(path__in=paths).order_by("path").first()


def _progress_of(job_id: int) -> Progress:
    # Each update is its own short autocommit transaction, outside the write transaction,
    # so other connections (the progress page) see it and SQLite's write lock is not held.
    def report(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(processed_rows=done, total_rows=total)

    return report


def _check_job(job: ImportJob) -> Checked | None:
    try:
        checked = check(
            job.file.path, job.kind, job.user, filename=job.filename, progress=_progress_of(job.pk)
        )
    except spreadsheets.SpreadsheetError as exc:
        _finish(job, ImportJob.Status.FAILED, str(exc))
        return None
    job.errors = import_errors.capped([e.as_dict() for e in checked.errors])
    job.total_rows = job.processed_rows = checked.total_rows
    job.rejected_count = len(checked.rejected_rows)
    return checked


def _finish(job: ImportJob, status: str, message: str = "") -> None:
    job.status = status
    job.message = without_server_paths(message)
    job.finished_at = timezone.now() if status in ("done", "failed") else None
    job.save()


def check_job(job_id: int) -> dict[str, Any]:
    """Validate an uploaded job's file and store its errors for the preview page."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    job.status, job.message = ImportJob.Status.RUNNING, "checking"
    job.save(update_fields=["status", "message"])
    checked = _check_job(job)
    if checked is not None:
        status = ImportJob.Status.FAILED if checked.file_errors else ImportJob.Status.VALIDATED
        _finish(job, status, _("The file's header is not usable.") if checked.file_errors else "")
    return {"status": job.status, "rows": job.total_rows, "rejected": job.rejected_count}


def run_job(job_id: int) -> dict[str, Any]:
    """Check the file again (the database may have changed since the preview), then write."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    job.status, job.message, job.processed_rows = ImportJob.Status.RUNNING, "checking", 0
    job.save(update_fields=["status", "message", "processed_rows"])
    checked = _check_job(job)
    if checked is None:
        return {"status": job.status}
    if checked.file_errors or (checked.errors and not job.valid_only):
        _finish(
            job,
            ImportJob.Status.FAILED,
            _(
                "Nothing was saved: the file has errors. Correct them, or choose to import the "
                "valid rows only."
            ),
        )
        return {"status": job.status}
    ImportJob.objects.filter(pk=job.pk).update(message="writing")
    try:
        with audit.acting_as(job.user, via="task"), transaction.atomic():
            result = write(checked)
            audit_import(job.kind, job.filename, result, job.unit_id)
    except Exception as exc:
        # The transaction is rolled back, so nothing was saved; say so instead of leaving
        # the job "running" for ever.
        logger.exception("import job %s failed while writing", job.pk)
        _finish(
            job,
            ImportJob.Status.FAILED,
            _("Nothing was saved: writing failed (%s). Tell the administrator.") % exc,
        )
        return {"status": job.status}
    if checked.errors:
        _save_rejected(job, checked)
    job.created_count, job.updated_count = result.created, result.updated
    job.rejected_count = result.rejected
    message = _("%(c)d created, %(u)d updated (%(same)d already up to date), %(r)d rejected.") % {
        "c": result.created,
        "u": result.updated,
        "same": result.unchanged,
        "r": result.rejected,
    }
    if result.pending:
        message += " " + _(
            "%(n)d addresses wait for a city role's approval (they overlap another unit's "
            "registered space or are wider than the city allows); they are not used until then."
        ) % {"n": result.pending}
    _finish(job, ImportJob.Status.DONE, message)
    return {
        "status": job.status,
        "created": result.created,
        "updated": result.updated,
        "rejected": result.rejected,
    }


def _save_rejected(job: ImportJob, checked: Checked) -> None:
    import io

    from django.core.files.base import ContentFile

    header, rows = rejected_rows(job.file.path, job.filename, checked)
    out = io.BytesIO()
    fmt = spreadsheets.file_format(job.filename)
    if fmt == "xlsx":
        spreadsheets.write_xlsx(out, checked.sheet, [str(h or "") for h in header], rows)
    else:
        spreadsheets.write_csv(out, [str(h or "") for h in header], rows)
    stem = Path(job.filename).stem
    job.rejected_file.save(f"{stem}-rejected.{fmt}", ContentFile(out.getvalue()), save=False)


# The address plan from the command line


def import_address_plan(path: str | Path) -> dict[str, Any]:
    """Import an address plan file; return {"rows", "created_units", "created_ranges",
    "rejected": [{"row", "reason"}]}. The valid rows are written even if some are not."""
    try:
        # The server's own operator at the command line: the plan is approved as it stands.
        checked = check(path, "address_plan", claims.SERVER)
    except spreadsheets.SpreadsheetError as exc:
        return {
            "rows": 0,
            "created_units": 0,
            "created_ranges": 0,
            "rejected": [{"row": 0, "reason": str(exc)}],
        }
    rejected = _rejected(checked)
    if checked.file_errors:
        return {
            "rows": checked.total_rows,
            "created_units": 0,
            "created_ranges": 0,
            "rejected": rejected,
        }
    result = write(checked)
    audit_import("address_plan", Path(path).name, result, None)
    return {
        "rows": checked.total_rows,
        "created_units": result.created_units,
        "created_ranges": result.created,
        "rejected": rejected,
    }


def _rejected(checked: Checked) -> list[dict[str, Any]]:
    reasons: dict[int, list[str]] = {}
    for error in checked.errors:
        reasons.setdefault(error.row, []).append(f"{error.column}: {error.reason}")
    return [{"row": row, "reason": "; ".join(text)} for row, text in sorted(reasons.items())]
