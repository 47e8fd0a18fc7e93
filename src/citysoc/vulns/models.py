"""Scans imported from scanner reports and the findings they keep open, per unit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citysoc.core.models import Person, Unit, UploadedFile
from citysoc.core.tenancy import UnitOwnedQuerySet
from citysoc.inventory.models import Host, InformationSystem


class Severity(models.TextChoices):
    INFO = "info", _("Info")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class Kind(models.TextChoices):
    """What a finding is about (the parsers' `base.KINDS`)."""

    VULNERABILITY = "vulnerability", _("Vulnerability")
    MISCONFIGURATION = "misconfiguration", _("Misconfiguration")
    SECRET = "secret", _("Exposed secret")
    LICENSE = "license", _("Licence")
    OPEN_PORT = "open-port", _("Open port")
    INFO = "info", _("Information")


class Scan(models.Model):
    """One scanner report imported for one unit."""

    class Status(models.TextChoices):
        DONE = "done", _("Imported")
        PARTIAL = "partial", _("Imported with rejected records")
        FAILED = "failed", _("Unreadable")

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="scans"
    )
    tool = models.CharField(_("tool"), max_length=40)
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    file_sha256 = models.CharField(_("file SHA-256"), max_length=64, blank=True)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DONE
    )
    reason = models.TextField(_("reason"), blank=True)
    findings = models.PositiveIntegerField(_("findings"), default=0)
    new = models.PositiveIntegerField(_("new"), default=0)
    still_open = models.PositiveIntegerField(_("still open"), default=0)
    mitigated = models.PositiveIntegerField(_("mitigated"), default=0)
    reopened = models.PositiveIntegerField(_("reopened"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("scan")
        verbose_name_plural = _("scans")

    def __str__(self) -> str:
        return f"{self.tool} {self.file_name}"


class Finding(models.Model):
    """One weakness on one asset, kept across scans by its dedupe key."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MITIGATED = "mitigated", _("Mitigated")
        REOPENED = "reopened", _("Reopened")
        # Work on a finding (vulns/work.py): fixed stays "awaiting verification" until the
        # next scan of the same hosts no longer reports it (then mitigated).
        FIXED = "fixed", _("Fixed, awaiting verification")
        ACCEPTED = "accepted", _("Risk accepted")
        FALSE_POSITIVE = "false_positive", _("False positive")

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="findings"
    )
    host = models.ForeignKey(
        Host,
        verbose_name=_("host"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="findings",
    )
    system = models.ForeignKey(
        InformationSystem,
        verbose_name=_("information system"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="findings",
    )
    tool = models.CharField(_("tool"), max_length=40)
    title = models.CharField(_("title"), max_length=500)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.INFO
    )
    cves = models.JSONField(_("CVEs"), default=list, blank=True)
    cvss = models.DecimalField(_("CVSS score"), max_digits=3, decimal_places=1, null=True)
    address = models.CharField(_("address"), max_length=255, blank=True)  # IP or hostname
    port = models.PositiveIntegerField(_("port"), null=True, blank=True)
    protocol = models.CharField(_("protocol"), max_length=10, blank=True)
    package = models.CharField(_("package"), max_length=255, blank=True)
    version = models.CharField(_("installed version"), max_length=120, blank=True)
    location = models.CharField(_("location"), max_length=1000, blank=True)  # path or URL
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.VULNERABILITY
    )
    cvss_vector = models.CharField(_("CVSS vector"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    solution = models.TextField(_("solution"), blank=True)
    references = models.JSONField(_("references"), default=list, blank=True)
    fixed_version = models.CharField(_("fixed in version"), max_length=120, blank=True)
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    # Priority from data (vulns/priority.py): CISA KEV, EPSS, and the deadline policy.
    kev = models.BooleanField(_("known exploited (KEV)"), default=False)
    kev_added = models.DateField(_("listed in KEV on"), null=True, blank=True)
    kev_due = models.DateField(_("KEV due date (CISA)"), null=True, blank=True)
    kev_ransomware = models.BooleanField(_("used in ransomware campaigns"), default=False)
    epss = models.FloatField(_("EPSS score"), null=True, blank=True)
    epss_percentile = models.FloatField(_("EPSS percentile"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    due_rule = models.CharField(_("deadline rule"), max_length=40, blank=True)
    due_policy = models.CharField(_("deadline policy version"), max_length=40, blank=True)
    # Work on the finding (vulns/work.py).
    assignee = models.ForeignKey(
        Person,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="vuln_findings",
    )
    status_reason = models.TextField(_("reason"), blank=True)
    status_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    accepted_until = models.DateField(_("risk accepted until"), null=True, blank=True)
    dedupe_key = models.CharField(_("dedupe key"), max_length=64)
    last_scan = models.ForeignKey(
        Scan, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "-last_seen"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            # Re-import finds the same row by this key, so it must be unique per unit.
            models.UniqueConstraint(fields=["unit", "dedupe_key"], name="finding_key_per_unit"),
        ]
        indexes = [
            models.Index(fields=["unit", "status"], name="finding_unit_status_idx"),
            models.Index(fields=["status", "due_date"], name="finding_status_due_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    # Statuses that still need work: open, reopened, and fixed until a scan confirms it.
    ACTIVE = (Status.OPEN, Status.REOPENED, Status.FIXED)

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.is_active and self.due_date is not None and self.due_date < today


class FindingNote(models.Model):
    """One step in a finding's history: a comment, an assignment or a status decision."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        ASSIGNED = "assigned", _("Assigned")
        FIXED = "fixed", _("Marked fixed")
        ACCEPTED = "accepted", _("Risk accepted")
        FALSE_POSITIVE = "false_positive", _("False positive")
        REOPENED = "reopened", _("Reopened")
        VERIFIED = "verified", _("Fix verified by a scan")
        EXPIRED = "expired", _("Risk acceptance expired")

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="finding_notes"
    )
    finding = models.ForeignKey(
        Finding, verbose_name=_("finding"), on_delete=models.CASCADE, related_name="notes"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("text"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["finding", "at", "id"]
        verbose_name = _("finding note")
        verbose_name_plural = _("finding notes")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class FindingEvidence(UploadedFile):
    """A file attached to a finding: a screenshot of the patch, a vendor letter."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="finding_evidence"
    )
    finding = models.ForeignKey(
        Finding, verbose_name=_("finding"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to="vulns/evidence/%Y/%m/")

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["finding", "id"]
        verbose_name = _("finding evidence")
        verbose_name_plural = _("finding evidence")

    def __str__(self) -> str:
        return self.filename


class KnownExploited(models.Model):
    """One entry of the CISA Known Exploited Vulnerabilities catalogue (the city's copy)."""

    cve = models.CharField(_("CVE"), max_length=30, unique=True)
    vendor = models.CharField(_("vendor"), max_length=200, blank=True)
    product = models.CharField(_("product"), max_length=200, blank=True)
    name = models.CharField(_("name"), max_length=300, blank=True)
    date_added = models.DateField(_("added on"), null=True, blank=True)
    due_date = models.DateField(_("CISA due date"), null=True, blank=True)
    ransomware = models.BooleanField(_("used in ransomware campaigns"), default=False)
    required_action = models.TextField(_("required action"), blank=True)

    class Meta:
        ordering = ["-date_added", "cve"]
        verbose_name = _("known exploited vulnerability")
        verbose_name_plural = _("known exploited vulnerabilities")

    def __str__(self) -> str:
        return self.cve


class EpssScore(models.Model):
    """The EPSS probability of exploitation in the next 30 days, for one CVE."""

    cve = models.CharField(_("CVE"), max_length=30, unique=True)
    score = models.FloatField(_("EPSS score"))
    percentile = models.FloatField(_("EPSS percentile"))
    scored_on = models.DateField(_("scored on"), null=True, blank=True)

    class Meta:
        ordering = ["cve"]
        verbose_name = _("EPSS score")
        verbose_name_plural = _("EPSS scores")

    def __str__(self) -> str:
        return f"{self.cve} {self.score:.5f}"


class PriorityFeed(models.Model):
    """Where the KEV catalogue and the EPSS scores are pulled from, and how it went.

    The URLs are defaults the city administrator can change (Django admin), or empty on
    an isolated network, where `citysoc vulns load-kev/load-epss FILE` loads a file."""

    class Kind(models.TextChoices):
        KEV = "kev", _("CISA KEV catalogue")
        EPSS = "epss", _("EPSS scores")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, unique=True)
    url = models.CharField(
        _("feed URL"),
        max_length=500,
        blank=True,
        help_text=_("http(s):// or file:// — leave empty on a network without Internet access."),
    )
    every_hours = models.PositiveIntegerField(_("pull every (hours)"), default=24)
    active = models.BooleanField(_("active"), default=True)
    etag = models.CharField(max_length=200, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)
    last_loaded_at = models.DateTimeField(_("last loaded"), null=True, blank=True)
    last_version = models.CharField(_("last version"), max_length=100, blank=True)
    records = models.PositiveIntegerField(_("records"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("priority feed")
        verbose_name_plural = _("priority feeds")

    def __str__(self) -> str:
        return self.get_kind_display()
