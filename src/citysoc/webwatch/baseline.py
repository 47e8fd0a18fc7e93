"""Accept the page as it is now as the monitor's baseline (after a legitimate redesign)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citysoc.webwatch import recording
from citysoc.webwatch.models import Finding, Monitor

# Findings that measure the page against the baseline: a new baseline answers them. The
# defacement check's "marker" finding ("hacked by" on the page) is not one of them: a page
# saying "hacked by" is defaced whatever baseline a person accepts.
BASELINE_CHECKS = ("defacement",)
NOT_ANSWERED_BY_BASELINE = ("marker",)


def answered_by_baseline(findings):
    """The findings that accepting a new baseline resolves (a Finding queryset)."""
    return findings.filter(check_name__in=BASELINE_CHECKS).exclude(key__in=NOT_ANSWERED_BY_BASELINE)


class NoFingerprint(ValueError):
    """The site was never read successfully, so there is no current page to accept."""


def accept_current(monitor: Monitor, *, by, now: dt.datetime | None = None) -> int:
    """Make the last seen page the baseline; resolve the defacement findings it answers.

    Returns how many findings were resolved (their alerts are resolved too).
    """
    now = now or timezone.now()
    if not monitor.last_fingerprint:
        raise NoFingerprint(
            _("The site has not been read successfully yet: run a check first, then accept.")
        )
    with transaction.atomic():
        monitor.baseline = monitor.last_fingerprint
        monitor.baseline_at = now
        monitor.baseline_by = by
        monitor.save(update_fields=["baseline", "baseline_at", "baseline_by", "updated_at"])
        cleared = answered_by_baseline(monitor.findings.all()).exclude(
            status=Finding.Status.RESOLVED
        )
        count = 0
        for finding in cleared.select_related("monitor__unit"):
            recording.resolve_finding(finding, now=now)
            count += 1
    return count


def accept_finding(finding: Finding, *, by, now: dt.datetime | None = None) -> None:
    """A person says this finding is expected: keep it, but stop alerting on it."""
    now = now or timezone.now()
    with transaction.atomic():
        finding.status = Finding.Status.ACCEPTED
        finding.accepted_at = now
        finding.accepted_by = by
        finding.save(update_fields=["status", "accepted_at", "accepted_by"])
        recording.send_resolve(finding)
