"""Work on a finding: assign, comment, attach evidence, mark fixed, accept risk, false positive.

Every step is a `FindingNote` in the finding's history. "Fixed" is a claim until a scan
confirms it: the next scan of the same hosts that no longer reports the finding marks it
mitigated (importing.py calls `note_verified`); a scan that still sees it reopens it.
An accepted risk has an end date: the daily job `expire_acceptances` reopens it then.
The daily reminder tells each unit its findings due within a few days and overdue.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from citysoc.core.models import Person, Unit
from citysoc.notify import reach
from citysoc.vulns.models import Finding, FindingEvidence, FindingNote, Scan

logger = logging.getLogger(__name__)

TOPIC = "vulns.reminder"
EXPIRED_TOPIC = "vulns.acceptance-expired"
DAYS_BEFORE = 3
RECIPIENT_ROLES = (Person.Role.UNIT_ADMIN, Person.Role.OPERATOR)
MAX_ACCEPT_DAYS = 366  # a risk is accepted for a year at most, then looked at again
Kind = FindingNote.Kind
Status = Finding.Status


def _note(finding: Finding, kind: str, text: str, by) -> FindingNote:
    return FindingNote.objects.create(
        unit_id=finding.unit_id, finding=finding, kind=kind, text=text, by=by
    )


def _decide(finding: Finding, status: str, *, by, reason: str, until=None) -> None:
    finding.status, finding.status_reason = status, reason
    finding.status_by, finding.status_at = by, timezone.now()
    finding.accepted_until = until
    finding.save(
        update_fields=["status", "status_reason", "status_by", "status_at", "accepted_until"]
    )


def assign(finding: Finding, person: Person | None, *, by) -> Finding:
    """Give the finding to a person of its unit (None: nobody)."""
    if person is not None and person.unit_id != finding.unit_id:
        raise ValidationError({"assignee": _("Choose a person of the finding's own unit.")})
    with transaction.atomic():
        finding.assignee = person
        finding.save(update_fields=["assignee"])
        _note(finding, Kind.ASSIGNED, person.full_name if person else _("nobody"), by)
    return finding


def comment(finding: Finding, text: str, *, by) -> FindingNote:
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the comment first.")})
    return _note(finding, Kind.COMMENT, text[:5000], by)


def attach(finding: Finding, file: UploadedFile, *, by, note: str = "") -> FindingEvidence:
    """Store one evidence file, refusing files over UPLOAD_MAX_BYTES."""
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
        return FindingEvidence.objects.create(
            unit_id=finding.unit_id,
            finding=finding,
            file=file,
            filename=(file.name or "evidence")[:255],
            note=note[:300],
            uploaded_by=by,
        )


def _require_active(finding: Finding) -> None:
    if not finding.is_active:
        raise ValidationError(
            _("This finding is %(status)s; reopen it first.")
            % {"status": finding.get_status_display().lower()}
        )


def mark_fixed(finding: Finding, *, by, note: str = "") -> Finding:
    """Fixed, awaiting verification by the next scan of the same hosts."""
    _require_active(finding)
    with transaction.atomic():
        _decide(finding, Status.FIXED, by=by, reason=note.strip())
        _note(finding, Kind.FIXED, note.strip(), by)
    return finding


def accept_risk(finding: Finding, *, by, reason: str, until: dt.date) -> Finding:
    """Accept the risk until a date (at most a year): it reopens by itself then."""
    _require_active(finding)
    today = timezone.localdate()
    errors = {}
    if not reason.strip():
        errors["reason"] = _("Say why the risk is accepted (for example the compensating control).")
    if until is None or until <= today:
        errors["until"] = _("The end date must be after today.")
    elif until > today + dt.timedelta(days=MAX_ACCEPT_DAYS):
        errors["until"] = _("A risk is accepted for one year at most.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _decide(finding, Status.ACCEPTED, by=by, reason=reason.strip(), until=until)
        text = _("Until %(date)s: %(reason)s") % {
            "date": until.strftime("%d/%m/%Y"),
            "reason": reason.strip(),
        }
        _note(finding, Kind.ACCEPTED, text, by)
    return finding


def false_positive(finding: Finding, *, by, reason: str) -> Finding:
    _require_active(finding)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why this is not a real weakness.")})
    with transaction.atomic():
        _decide(finding, Status.FALSE_POSITIVE, by=by, reason=reason.strip())
        _note(finding, Kind.FALSE_POSITIVE, reason.strip(), by)
    return finding


def reopen(finding: Finding, *, by, reason: str = "") -> Finding:
    if finding.is_active and finding.status != Status.FIXED:
        return finding
    with transaction.atomic():
        _decide(finding, Status.REOPENED, by=by, reason=reason.strip())
        _note(finding, Kind.REOPENED, reason.strip(), by)
    return finding


def note_verified(finding_ids: list[int], scan: Scan) -> None:
    """The fixed findings a scan no longer reports: their fix is verified."""
    text = _("Not reported by the %(tool)s scan %(file)s.") % {
        "tool": scan.tool,
        "file": scan.file_name or f"#{scan.pk}",
    }
    FindingNote.objects.bulk_create(
        [
            FindingNote(unit_id=f.unit_id, finding=f, kind=Kind.VERIFIED, text=text)
            for f in Finding.objects.filter(pk__in=finding_ids).only("pk", "unit_id")
        ],
        batch_size=1000,
    )


def expire_acceptances(today: dt.date | None = None) -> int:
    """Reopen every accepted risk whose end date has passed; tell each unit once."""
    today = today or timezone.localdate()
    expired = list(
        Finding.objects.filter(status=Status.ACCEPTED, accepted_until__lt=today).select_related(
            "unit"
        )
    )
    by_unit: dict[Unit, list[Finding]] = {}
    with transaction.atomic():
        for f in expired:
            text = _("The risk acceptance ended on %(date)s.") % {
                "date": f.accepted_until.strftime("%d/%m/%Y") if f.accepted_until else ""
            }
            _decide(f, Status.REOPENED, by=None, reason=text)
            _note(f, Kind.EXPIRED, text, None)
            by_unit.setdefault(f.unit, []).append(f)
    if by_unit:
        reach.tell_units(
            by_unit,
            lambda unit, rows: _compose_expired(rows),
            topic=EXPIRED_TOPIC,
            roles=RECIPIENT_ROLES,
            once_on=today,
        )
    logger.info("vulns: %d risk acceptances expired and reopened", len(expired))
    return len(expired)


def _compose_expired(rows: list[Finding]) -> tuple[str, str]:
    subject = _("[citysoc] %(n)d accepted vulnerability risks have expired") % {"n": len(rows)}
    lines = [_("These findings were reopened: their risk acceptance has ended."), ""]
    lines += [_line(f) for f in rows]
    return subject, "\n".join(lines)


def _line(f: Finding) -> str:
    due = f.due_date.strftime("%d/%m/%Y") if f.due_date else "-"
    url = settings.SITE_URL + reverse("vulns:finding-detail", args=[f.pk])
    kev = " [KEV]" if f.kev else ""
    return f"- [{f.get_severity_display()}{kev}, {due}] {f.title[:120]} ({f.address})\n  {url}"


@dataclass(frozen=True)
class ReminderResult:
    units: int
    findings: int
    told: int
    unreachable: int


def due_soon(today: dt.date, days_before: int = DAYS_BEFORE):
    return (
        Finding.objects.filter(
            status__in=(Status.OPEN, Status.REOPENED),
            due_date__lte=today + dt.timedelta(days=days_before),
        )
        .select_related("unit")
        .order_by("unit__path", "due_date", "-kev")
    )


def remind_due(today: dt.date | None = None) -> ReminderResult:
    """Tell each unit its findings due within a few days and those overdue, once a day."""
    today = today or timezone.localdate()
    by_unit: dict[Unit, list[Finding]] = {}
    for f in due_soon(today):
        by_unit.setdefault(f.unit, []).append(f)
    told = reach.tell_units(
        by_unit,
        lambda unit, rows: _compose_due(rows, today),
        topic=TOPIC,
        roles=RECIPIENT_ROLES,
        once_on=today,
    )
    total = sum(len(v) for v in by_unit.values())
    logger.info("vulns reminder: %d findings, %d units", total, len(by_unit))
    return ReminderResult(len(by_unit), total, len(told.told), len(told.unreachable))


MAX_LINES = 50


def _compose_due(rows: list[Finding], today: dt.date) -> tuple[str, str]:
    late = sum(1 for f in rows if f.due_date is not None and f.due_date < today)
    subject = _("[citysoc] %(open)d vulnerabilities to fix, %(late)d overdue") % {
        "open": len(rows),
        "late": late,
    }
    lines = [_("These vulnerability findings of your unit are due soon or overdue:"), ""]
    lines += [_line(f) for f in rows[:MAX_LINES]]
    if len(rows) > MAX_LINES:
        lines.append(
            _("… and %(n)d more on the unit's vulnerabilities page.") % {"n": len(rows) - MAX_LINES}
        )
    return subject, "\n".join(lines)
