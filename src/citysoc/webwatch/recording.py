"""Turn one check result into a run row, the monitor's new state, findings and alerts.

Alerts go through the alerts app's intake (`raise_alert`) on *changes* only: a site going
down, coming back, a finding opening or clearing. A finding still seen on the next run
only moves its `last_seen`, so escalation is not re-armed every five minutes. Dedup keys
are `webwatch:<monitor id>:availability` and `webwatch:<monitor id>:<check>[:<key>]`.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from citysoc.webwatch import titles
from citysoc.webwatch.checks.base import Finding as CheckFinding
from citysoc.webwatch.checks.base import SiteResult
from citysoc.webwatch.evidence import check_label
from citysoc.webwatch.models import CheckRun, Finding, Monitor

logger = logging.getLogger(__name__)

AVAILABILITY = "availability"
# Below this a finding is kept for the screens but wakes nobody.
ALERT_SEVERITIES = ("critical", "high", "medium", "low")


@dataclass
class AlertCall:
    """One call to make to the alerts intake once the rows are written."""

    action: str  # "trigger" | "resolve"
    dedup_key: str
    severity: str = "info"
    summary: str = ""
    details: dict = field(default_factory=dict)


@dataclass
class Outcome:
    alerts: int = 0  # triggers and resolves sent
    opened: int = 0
    resolved: int = 0
    calls: list[AlertCall] = field(default_factory=list)


def record(monitor: Monitor, result: SiteResult, *, now: dt.datetime) -> Outcome:
    """Store `result` for `monitor` and raise/resolve alerts for what changed."""
    outcome = Outcome()
    with transaction.atomic():
        CheckRun.objects.create(
            monitor=monitor,
            at=now,
            up=result.up,
            status=result.status,
            response_ms=result.response_ms,
        )
        _availability(monitor, result, now, outcome)
        _update_state(monitor, result, now)
        _findings(monitor, _wanted(monitor, result.findings), _unread(result), now, outcome)
        for call in outcome.calls:
            _send(monitor, call)
    outcome.alerts = len(outcome.calls)
    return outcome


def _availability(monitor: Monitor, result: SiteResult, now, outcome: Outcome) -> None:
    was_up = monitor.is_up
    key = monitor.dedup_key(AVAILABILITY)
    if not result.up and was_up is not False:
        summary = _("Website down: %(name)s (%(url)s): %(error)s") % {
            "name": monitor.name,
            "url": monitor.url,
            "error": result.error or _("HTTP status %(status)s") % {"status": result.status},
        }
        details: dict[str, Any] = {
            "url": monitor.url,
            "status": result.status,
            "error": result.error,
        }
        for finding in filter(_is_down, result.findings):
            details["evidence"] = finding.evidence
        outcome.calls.append(AlertCall("trigger", key, "high", summary, details))
    elif result.up and was_up is False:
        summary = _("Website up again: %(name)s (%(url)s)") % {
            "name": monitor.name,
            "url": monitor.url,
        }
        outcome.calls.append(AlertCall("resolve", key, "info", summary, {"url": monitor.url}))


def _update_state(monitor: Monitor, result: SiteResult, now) -> None:
    if monitor.is_up != result.up:
        monitor.state_since = now
    monitor.is_up = result.up
    monitor.last_checked_at = now
    monitor.last_status = result.status
    monitor.last_response_ms = result.response_ms
    monitor.last_error = (result.error or "")[:500]
    monitor.last_skipped = dict(result.skipped or {})
    monitor.last_crawled = list(result.crawled or [])
    monitor.tls_expires_at = _when(result.tls_expires_at) or monitor.tls_expires_at
    monitor.domain_expires_at = _when(result.domain_expires_at) or monitor.domain_expires_at
    if result.fingerprint:
        monitor.last_fingerprint = result.fingerprint
        if monitor.baseline is None and result.up:
            # The first good look at the page becomes its baseline; a person can accept a
            # newer one later (baseline.accept_current).
            monitor.baseline = result.fingerprint
            monitor.baseline_at = now
    Monitor.objects.filter(pk=monitor.pk).update(
        **{
            name: getattr(monitor, name)
            for name in (
                "is_up",
                "state_since",
                "last_checked_at",
                "last_status",
                "last_response_ms",
                "last_error",
                "last_skipped",
                "last_crawled",
                "tls_expires_at",
                "domain_expires_at",
                "last_fingerprint",
                "baseline",
                "baseline_at",
            )
        }
    )


def _when(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        logger.warning("webwatch: unreadable expiry date %r from the checks; ignored", value)
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _is_down(finding: CheckFinding) -> bool:
    # "Site down" is the monitor's state and its availability alert, not a finding.
    return finding.check == AVAILABILITY and finding.key == "down"


def _wanted(monitor: Monitor, findings: list[CheckFinding]) -> dict[tuple[str, str], CheckFinding]:
    """The result's findings by (check, key), minus those the monitor switched off."""
    wanted: dict[tuple[str, str], CheckFinding] = {}
    for finding in findings:
        if _is_down(finding) or (finding.check == "cloaking" and not monitor.cloaking_check):
            continue
        wanted.setdefault((finding.check, finding.key[:200]), finding)
    return wanted


def _unread(result: SiteResult) -> set[str] | None:
    """The checks that did not look this time (None: none did, the site did not answer).

    A check that was skipped or failed saw nothing, which is not the same as "clean": its
    open findings stand until it runs again.
    """
    return set(result.skipped or {}) if result.up else None


def _findings(monitor: Monitor, seen: dict, unread: set[str] | None, now, outcome) -> None:
    existing = {(f.check_name, f.key): f for f in monitor.findings.all()}
    for (check, key), found in seen.items():
        row = existing.get((check, key))
        if row is None:
            row = Finding(unit_id=monitor.unit_id, monitor=monitor, check_name=check, key=key)
            row.first_seen = now
            row.times_seen = 0
        was = row.status if row.pk else None
        if was == Finding.Status.RESOLVED:
            row.first_seen, row.resolved_at = now, None
        if was != Finding.Status.ACCEPTED:
            row.status = Finding.Status.OPEN
        row.severity = found.severity if found.severity in _SEVERITY_VALUES else "medium"
        row.title = found.title[:300]
        row.title_parts = titles.parts_of(found.parts)
        row.evidence = found.evidence or {}
        row.last_seen = now
        row.times_seen += 1
        row.save()
        if was in (None, Finding.Status.RESOLVED):
            outcome.opened += 1
            if row.severity in ALERT_SEVERITIES:
                outcome.calls.append(_finding_call("trigger", monitor, row))
    if unread is None:
        return
    for (check, key), row in existing.items():
        if (check, key) in seen or row.status == Finding.Status.RESOLVED or check in unread:
            continue
        resolve_finding(row, now=now, outcome=outcome)


_SEVERITY_VALUES = {"critical", "high", "medium", "low", "info"}


def resolve_finding(row: Finding, *, now, outcome: Outcome | None = None) -> None:
    """Mark a finding resolved and resolve its alert (now, or with the outcome's calls)."""
    row.status = Finding.Status.RESOLVED
    row.resolved_at = now
    row.save(update_fields=["status", "resolved_at"])
    call = _finding_call("resolve", row.monitor, row)
    if outcome is None:
        _send(row.monitor, call)
    else:
        outcome.resolved += 1
        outcome.calls.append(call)


def send_alert(row: Finding) -> None:
    """Trigger the finding's alert now (the demo; the runner batches its own calls)."""
    _send(row.monitor, _finding_call("trigger", row.monitor, row))


def send_resolve(row: Finding) -> None:
    """Resolve the finding's alert (if one is open) without changing the finding."""
    _send(row.monitor, _finding_call("resolve", row.monitor, row))


def _finding_call(action: str, monitor: Monitor, row: Finding) -> AlertCall:
    # The summary names the check in the hub's language; the check's own (English) title
    # goes with the evidence.
    names = {"name": monitor.name, "check": check_label(row.check_name)}
    if action == "trigger":
        summary = _("%(name)s: %(check)s") % names
    else:
        summary = _("%(name)s: no longer seen: %(check)s") % names
    details = {
        "url": monitor.url,
        "check": row.check_name,
        "finding": row.pk,
        "title": row.title,
        "evidence": row.evidence,
    }
    return AlertCall(action, row.dedup_key, row.severity, summary, details)


def _send(monitor: Monitor, call: AlertCall) -> None:
    from citysoc.alerts.intake import raise_alert

    link = settings.SITE_URL.rstrip("/") + reverse("webwatch:monitor-detail", args=[monitor.pk])
    raise_alert(
        monitor.unit,
        kind="webwatch",
        dedup_key=call.dedup_key,
        severity=call.severity,
        summary=call.summary,
        details=call.details,
        links=[link],
        action=call.action,
        host=urlsplit(monitor.url).hostname or "",
    )
