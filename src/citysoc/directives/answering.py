"""A unit's answer to an assignment: status, report text and evidence files.

Status, report and files are saved together (one form, one request) so a file picked on
the page is never silently dropped, and "done" is refused while an item that requires
evidence has none: the status must never claim more than the files show.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citysoc.directives.models import Assignment, Evidence


def _check_size(file: UploadedFile) -> None:
    limit = settings.UPLOAD_MAX_BYTES
    if file.size is not None and file.size > limit:
        raise ValidationError(
            {
                "file": _(
                    "'%(name)s' is %(size)d MB; the limit is %(limit)d MB. "
                    "Send a smaller file or a PDF of the key pages."
                )
                % {"name": file.name, "size": file.size // 2**20, "limit": limit // 2**20}
            }
        )


def answer(
    assignment: Assignment,
    *,
    by,
    status: str,
    report: str = "",
    reason: str = "",
    files: Sequence[UploadedFile] = (),
    note: str = "",
) -> Assignment:
    """Record the unit's status, report and any new evidence files, all or nothing.

    "Not applicable" needs a reason; "done" needs at least one evidence file (already
    attached or sent now) when the item requires evidence.
    """
    if status not in Assignment.Status.values:
        raise ValidationError({"status": _("Unknown status '%(s)s'.") % {"s": status}})
    if status == Assignment.Status.NOT_APPLICABLE and not reason.strip():
        raise ValidationError({"reason": _("Say why this item does not apply to your unit.")})
    for file in files:
        _check_size(file)
    if (
        status == Assignment.Status.DONE
        and assignment.item.evidence_required
        and not files
        and not assignment.evidence.exists()
    ):
        raise ValidationError(
            {
                "file": _(
                    "This item requires evidence: attach at least one file (minutes, a "
                    "report or a screenshot) before you mark it done."
                )
            }
        )
    assignment.status = status
    assignment.report = report
    assignment.reason = reason if status == Assignment.Status.NOT_APPLICABLE else ""
    assignment.updated_by = by
    assignment.answered_at = timezone.now()
    with transaction.atomic():
        assignment.save()
        for file in files:
            _store(assignment, by=by, file=file, note=note)
    return assignment


def attach(assignment: Assignment, *, by, file: UploadedFile, note: str = "") -> Evidence:
    """Store one evidence file for the assignment, refusing files over UPLOAD_MAX_BYTES."""
    _check_size(file)
    with transaction.atomic():
        return _store(assignment, by=by, file=file, note=note)


def _store(assignment: Assignment, *, by, file: UploadedFile, note: str) -> Evidence:
    return Evidence.objects.create(
        assignment=assignment,
        unit=assignment.unit,
        file=file,
        filename=(file.name or "evidence")[:255],
        note=note[:300],
        uploaded_by=by,
    )
