"""Scans imported from scanner reports and the findings they keep open, per unit."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from citysoc.core.models import Unit
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
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
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
        indexes = [models.Index(fields=["unit", "status"], name="finding_unit_status_idx")]

    def __str__(self) -> str:
        return self.title
