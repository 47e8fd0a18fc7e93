"""Priority from data: CVSS vectors, CISA KEV membership, EPSS, and the due date.

After every import (and after a new KEV catalogue or EPSS file is loaded) the active
findings are enriched: a finding is known exploited when any of its CVEs is in the KEV
catalogue, its EPSS is the highest of its CVEs', and its due date comes from the deadline
policy (vulns/deadlines.py) with the system's security level. A finding that becomes
known exploited on a system of level 3 or higher raises an alert for its unit.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from cvss import CVSS2, CVSS3, CVSS4
from cvss.exceptions import CVSSError
from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from citysoc.vulns import deadlines
from citysoc.vulns.models import EpssScore, Finding, KnownExploited, Scan

logger = logging.getLogger(__name__)

BATCH = 1000
ALERT_LEVEL = 3  # a new KEV finding on a system of this level or higher raises an alert
FIELDS = [
    "kev",
    "kev_added",
    "kev_due",
    "kev_ransomware",
    "epss",
    "epss_percentile",
    "cvss",
    "due_date",
    "due_rule",
    "due_policy",
]


@dataclass(frozen=True)
class CvssScore:
    version: str  # "2.0", "3.0", "3.1", "4.0"
    score: float
    severity: str  # one of deadlines.SEVERITIES ("none" is "info")


def parse_vector(vector: str) -> CvssScore | None:
    """Base score and severity of a CVSS v2, v3.x or v4 vector; None if unreadable."""
    vector = (vector or "").strip()
    if not vector:
        return None
    try:
        if vector.startswith("CVSS:4"):
            v4 = CVSS4(vector)
            return CvssScore("4.0", float(v4.base_score), _band(v4.severity))
        if vector.startswith("CVSS:3"):
            v3 = CVSS3(vector)
            return CvssScore(vector[5:8], float(v3.scores()[0]), _band(v3.severities()[0]))
        v2 = CVSS2(vector.removeprefix("CVSS:2.0/").strip("()"))
        return CvssScore("2.0", float(v2.scores()[0]), _band(v2.severities()[0]))
    except (CVSSError, ValueError, KeyError, IndexError):
        return None


def _band(word: str) -> str:
    word = word.lower()
    return word if word in deadlines.SEVERITIES else "info"


def policy() -> deadlines.Policy:
    return deadlines.load_policy(str(getattr(settings, "VULNS_DEADLINE_POLICY", "") or ""))


def reason_for(finding: Finding) -> str:
    """The policy's words for the finding's deadline, in the active language."""
    rule = policy().rule(finding.due_rule) if finding.due_rule else None
    if rule is None:
        return ""
    return rule.reason_in(translation.get_language() or settings.LANGUAGE_CODE)


def level_of(finding: Finding) -> int | None:
    return finding.system.security_level if finding.system is not None else None


def enrich(findings: list[Finding], *, kev_index=None, epss_index=None) -> list[Finding]:
    """Set KEV, EPSS, CVSS and the due date on `findings` (saved); return those that have just
    become known exploited."""
    cves = {c for f in findings for c in f.cves}
    kev = kev_index if kev_index is not None else _kev_for(cves)
    epss = epss_index if epss_index is not None else _epss_for(cves)
    rules = policy()
    newly: list[Finding] = []
    changed: list[Finding] = []
    for f in findings:
        before = [getattr(f, name) for name in FIELDS]
        _apply(f, kev, epss, rules)
        if f.kev and not before[0]:
            newly.append(f)
        if [getattr(f, name) for name in FIELDS] != before:
            changed.append(f)
    if changed:  # a re-import of an unchanged report writes nothing here
        Finding.objects.bulk_update(changed, FIELDS, batch_size=BATCH)
    return newly


def prepare(findings: list[Finding]) -> None:
    """Set KEV, EPSS, CVSS and the due date on new, unsaved findings (two queries a batch)."""
    cves = {c for f in findings for c in f.cves}
    kev, epss, rules = _kev_for(cves), _epss_for(cves), policy()
    for f in findings:
        _apply(f, kev, epss, rules)


def _apply(f: Finding, kev: dict, epss: dict, rules: deadlines.Policy) -> None:
    listed = [kev[c] for c in f.cves if c in kev]
    f.kev = bool(listed)
    f.kev_added = min((k.date_added for k in listed if k.date_added), default=None)
    f.kev_due = min((k.due_date for k in listed if k.due_date), default=None)
    f.kev_ransomware = any(k.ransomware for k in listed)
    scores = [epss[c] for c in f.cves if c in epss]
    best = max(scores, key=lambda s: s.score, default=None)
    f.epss = best.score if best else None
    f.epss_percentile = best.percentile if best else None
    if f.cvss is None and f.cvss_vector:
        parsed = parse_vector(f.cvss_vector)
        f.cvss = round(parsed.score, 1) if parsed else None
    due = deadlines.deadline(
        rules,
        severity=f.severity,
        kev=f.kev,
        level=level_of(f),
        first_seen=timezone.localtime(f.first_seen).date(),
        kev_added=f.kev_added,
    )
    f.due_date, f.due_rule, f.due_policy = due.due, due.rule.id, due.version


def _kev_for(cves: Iterable[str]) -> dict[str, KnownExploited]:
    cves = list(cves)
    found: dict[str, KnownExploited] = {}
    for start in range(0, len(cves), BATCH):
        for k in KnownExploited.objects.filter(cve__in=cves[start : start + BATCH]):
            found[k.cve] = k
    return found


def _epss_for(cves: Iterable[str]) -> dict[str, EpssScore]:
    cves = list(cves)
    found: dict[str, EpssScore] = {}
    for start in range(0, len(cves), BATCH):
        for s in EpssScore.objects.filter(cve__in=cves[start : start + BATCH]):
            found[s.cve] = s
    return found


# What enrichment reads and writes: not the scanner's long texts (a 50,000-finding import
# would otherwise read back tens of megabytes of descriptions).
ENRICH_READS = ["unit_id", "system__security_level", "system__name", "severity", "cves"]
ENRICH_READS += ["cvss_vector", "first_seen", "last_seen", "address", "title", *FIELDS]


def _active(queryset: QuerySet) -> QuerySet:
    return queryset.filter(status__in=Finding.ACTIVE).select_related("system").only(*ENRICH_READS)


def after_import(scan: Scan) -> list[Finding]:
    """Enrich the findings this scan saw; alert on those that became known exploited.

    New findings were prepared before their insert (`prepare`): those known exploited
    are new KEV findings too (first seen by this scan)."""
    newly: list[Finding] = []
    findings = list(_active(Finding.objects.filter(last_scan=scan)))
    for start in range(0, len(findings), BATCH):
        newly += enrich(findings[start : start + BATCH])
    newly += [f for f in findings if f.kev and f.first_seen == f.last_seen and f not in newly]
    alert_known_exploited(newly)
    return newly


def refresh_all() -> int:
    """Re-enrich every active finding (after a new KEV catalogue or EPSS file); returns the
    number of findings looked at."""
    kev = {k.cve: k for k in KnownExploited.objects.all()}
    ids = list(_active(Finding.objects.all()).values_list("pk", flat=True))
    newly: list[Finding] = []
    for start in range(0, len(ids), BATCH):
        chunk = list(_active(Finding.objects.filter(pk__in=ids[start : start + BATCH])))
        newly += enrich(chunk, kev_index=kev)
    alert_known_exploited(newly)
    return len(ids)


def alert_known_exploited(findings: list[Finding]) -> int:
    """Raise one alert per finding known exploited on a system of level 3 or higher."""
    from citysoc.alerts import intake

    raised = 0
    with translation.override(settings.LANGUAGE_CODE):
        for f in findings:
            level = level_of(f)
            if f.system is None or level is None or level < ALERT_LEVEL:
                continue
            url = settings.SITE_URL + reverse("vulns:finding-detail", args=[f.pk])
            intake.raise_alert(
                f.unit,
                kind="system",
                dedup_key=f"vulns:kev:{f.pk}",
                severity="critical" if f.kev_ransomware or level >= 4 else "high",
                summary=_("Known exploited vulnerability %(cve)s on %(system)s (level %(level)d)")
                % {"cve": _kev_cve(f), "system": f.system.name, "level": level},
                details={
                    "finding": f.title,
                    "cves": f.cves,
                    "address": f.address,
                    "due_date": f.due_date.isoformat() if f.due_date else "",
                    "ransomware": f.kev_ransomware,
                },
                links=[url],
                source_name=str(_("Vulnerabilities")),
                host=f.address,
            )
            raised += 1
    if raised:
        logger.info("vulns: %d known exploited findings on level 3+ systems raised alerts", raised)
    return raised


def _kev_cve(f: Finding) -> str:
    listed = set(KnownExploited.objects.filter(cve__in=f.cves).values_list("cve", flat=True))
    return ", ".join(c for c in f.cves if c in listed) or ", ".join(f.cves)


def overdue(queryset: QuerySet, today: dt.date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    return queryset.filter(status__in=Finding.ACTIVE, due_date__lt=today)
