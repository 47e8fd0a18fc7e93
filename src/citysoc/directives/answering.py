"""A unit's answer to an assignment: status, report text and evidence files."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citysoc.directives.models import Assignment, Evidence


def answer(
    assignment: Assignment, *, by, status: str, report: str = "", reason: str = ""
) -> Assignment:
    """Record the unit's status and report; "not applicable" needs a reason."""
    if status not in Assignment.Status.values:
        raise ValidationError({"status": _("Unknown status '%(s)s'.") % {"s": status}})
    if status == Assignment.Status.NOT_APPLICABLE and not reason.strip():
        raise ValidationError({"reason": _("Say why this item does not apply to your unit.")})
    assignment.status = status
    assignment.report = report
    assignment.reason = reason if status == Assignment.Status.NOT_APPLICABLE else ""
    assignment.updated_by = by
    assignment.answered_at = timezone.now()
    with transaction.atomic():
        assignment.save()
    return assignment


def attach(assignment: Assignment, *, by, file: UploadedFile, note: str = "") -> Evidence:
    """Store one evidence file for the assignment, refusing files over UPLOAD_MAX_BYTES."""
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
    with transaction.atomic():
        return Evidence.objects.create(
            assignment=assignment,
            unit=assignment.unit,
            file=file,
            filename=(file.name or "evidence")[:255],
            note=note[:300],
            uploaded_by=by,
        )
