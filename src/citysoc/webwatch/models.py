"""Website monitors of the units, their check history and what the checks found.

The flow: a unit registers a *monitor* for each public website (from its inventory
domains); the scheduler claims due monitors, the checks (`checks/`, no Django) run, and the
runner stores one small *check run* per check, keeps *findings* open while a check still
sees them, and raises or resolves alerts on changes only. Old runs are rolled up into
*hourly stats* (`retention.py`), so uptime over months stays cheap to keep and to read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citysoc.core.models import Unit
from citysoc.core.tenancy import UnitOwnedQuerySet
from citysoc.webwatch import titles

if TYPE_CHECKING:
    from citysoc.webwatch.evidence import Row
    from citysoc.webwatch.states import State

SEVERITIES = [
    ("critical", _("Critical")),
    ("high", _("High")),
    ("medium", _("Medium")),
    ("low", _("Low")),
    ("info", _("Info")),
]
SEVERITY_ORDER = {value: rank for rank, (value, _label) in enumerate(SEVERITIES)}


class Monitor(models.Model):
    """One public website of a unit, checked every `interval_minutes`."""

    # Not columns: set for display by health.worst_findings() and the monitor page.
    top_findings: list[Finding]
    more_findings: int
    health: State

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="monitors"
    )
    domain = models.ForeignKey(
        "inventory.Domain",
        verbose_name=_("domain"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="monitors",
    )
    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("URL"), max_length=500)
    interval_minutes = models.PositiveIntegerField(
        _("check every (minutes)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    expected_status = models.PositiveSmallIntegerField(
        _("expected HTTP status"),
        default=200,
        validators=[MinValueValidator(100), MaxValueValidator(599)],
    )
    must_contain = models.CharField(
        _("text that must appear"),
        max_length=200,
        blank=True,
        help_text=_("e.g. the unit's name: its absence means the page was replaced."),
    )
    must_not_contain = models.CharField(
        _("text that must not appear"),
        max_length=200,
        blank=True,
        help_text=_("e.g. 'hacked by' or a betting brand seen before."),
    )
    tls_warn_days = models.PositiveSmallIntegerField(_("warn days before TLS expiry"), default=21)
    domain_warn_days = models.PositiveSmallIntegerField(
        _("warn days before domain expiry"), default=30
    )
    max_response_ms = models.PositiveIntegerField(
        _("slow above (ms)"), default=5000, validators=[MinValueValidator(100)]
    )
    crawl_depth = models.PositiveSmallIntegerField(
        _("crawl depth"),
        default=1,
        validators=[MaxValueValidator(3)],
        help_text=_("0: the page only; 1: plus the same-site pages it links to."),
    )
    crawl_max_pages = models.PositiveSmallIntegerField(
        _("pages at most"), default=10, validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    cloaking_check = models.BooleanField(
        _("compare with what search engines get"),
        default=True,
        help_text=_("Injected gambling links are often shown to search engines only."),
    )
    public = models.BooleanField(
        _("show on the unit's public status page"),
        default=False,
        help_text=_("Only up/down and uptime are shown there, to anyone, without login."),
    )
    # The accepted look of the page: what defacement is measured against.
    baseline = models.JSONField(_("accepted baseline"), null=True, blank=True)
    baseline_at = models.DateTimeField(_("baseline accepted"), null=True, blank=True)
    baseline_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("baseline accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The page as last seen, so "accept the current page" needs no new fetch.
    last_fingerprint = models.JSONField(_("last fingerprint"), null=True, blank=True)
    # State: None until the first check.
    is_up = models.BooleanField(_("up"), null=True, blank=True)
    state_since = models.DateTimeField(_("in this state since"), null=True, blank=True)
    last_checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_response_ms = models.PositiveIntegerField(_("last response (ms)"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    # What the last check covered: checks skipped (name → reason) and crawled pages.
    last_skipped = models.JSONField(_("checks skipped"), default=dict, blank=True)
    last_crawled = models.JSONField(_("pages crawled"), default=list, blank=True)
    tls_expires_at = models.DateTimeField(_("TLS certificate expires"), null=True, blank=True)
    domain_expires_at = models.DateTimeField(_("domain expires"), null=True, blank=True)
    # Claimed with a conditional UPDATE on this column (runner.claim_due).
    next_check_at = models.DateTimeField(_("next check"), default=timezone.now, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # What a person sets on a monitor: the form and the API offer the same fields.
    SETTINGS = (
        "domain",
        "name",
        "url",
        "interval_minutes",
        "enabled",
        "expected_status",
        "must_contain",
        "must_not_contain",
        "max_response_ms",
        "tls_warn_days",
        "domain_warn_days",
        "crawl_depth",
        "crawl_max_pages",
        "cloaking_check",
        "public",
    )

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "name"]
        verbose_name = _("website monitor")
        verbose_name_plural = _("website monitors")
        constraints = [
            models.UniqueConstraint(fields=["unit", "url"], name="webwatch_monitor_url_per_unit"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        # Findings carry the unit for tenancy; a monitor moved to another unit takes them.
        self.findings.exclude(unit_id=self.unit_id).update(unit_id=self.unit_id)

    @property
    def state(self) -> str:
        """'up', 'down' or 'unknown' (never checked, or disabled)."""
        if not self.enabled or self.is_up is None:
            return "unknown"
        return "up" if self.is_up else "down"

    def dedup_key(self, check: str, key: str = "") -> str:
        """The alert dedup key: webwatch:<monitor id>:<check>[:<key>]."""
        return f"webwatch:{self.pk}:{check}" + (f":{key}" if key else "")


class CheckRun(models.Model):
    """One check of one monitor: a small row, kept `WEBWATCH_RETENTION_DAYS` days."""

    monitor = models.ForeignKey(
        Monitor, verbose_name=_("monitor"), on_delete=models.CASCADE, related_name="runs"
    )
    at = models.DateTimeField(_("time"))
    up = models.BooleanField(_("up"))
    status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    response_ms = models.PositiveIntegerField(_("response (ms)"), null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("check run")
        verbose_name_plural = _("check runs")
        indexes = [models.Index(fields=["monitor", "at"], name="webwatch_run_monitor_at")]

    def __str__(self) -> str:
        return f"{self.monitor_id} {self.at:%Y-%m-%d %H:%M} {'up' if self.up else 'down'}"


class HourlyStat(models.Model):
    """The runs of one monitor in one hour, rolled up once the raw runs are pruned."""

    monitor = models.ForeignKey(
        Monitor, verbose_name=_("monitor"), on_delete=models.CASCADE, related_name="hourly"
    )
    hour = models.DateTimeField(_("hour"))
    checks = models.PositiveIntegerField(_("checks"), default=0)
    up_checks = models.PositiveIntegerField(_("checks up"), default=0)
    timed_checks = models.PositiveIntegerField(_("checks with a response time"), default=0)
    total_ms = models.PositiveBigIntegerField(_("sum of response times (ms)"), default=0)
    max_ms = models.PositiveIntegerField(_("slowest response (ms)"), default=0)

    class Meta:
        ordering = ["-hour"]
        verbose_name = _("hourly check statistics")
        verbose_name_plural = _("hourly check statistics")
        constraints = [
            models.UniqueConstraint(fields=["monitor", "hour"], name="webwatch_hourly_once"),
        ]

    def __str__(self) -> str:
        return f"{self.monitor_id} {self.hour:%Y-%m-%d %H}:00 {self.up_checks}/{self.checks}"

    @property
    def avg_ms(self) -> int | None:
        return self.total_ms // self.timed_checks if self.timed_checks else None


class Finding(models.Model):
    """Something a check saw on a site (defacement, injected links, TLS expiring…).

    One row per (monitor, check, key): open while the check keeps seeing it, resolved when
    it no longer does, reopened if it comes back. `accepted` is a person's decision that it
    is expected; it raises no alert while accepted.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")
        ACCEPTED = "accepted", _("Accepted")

    # Not columns: set for display by the monitor page.
    rows: list[Row]
    label: str

    # A copy of the monitor's unit, so tenancy filters findings without a join.
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="webwatch_findings"
    )
    monitor = models.ForeignKey(
        Monitor, verbose_name=_("monitor"), on_delete=models.CASCADE, related_name="findings"
    )
    # Not `check`: that name is Django's Model.check() (system checks).
    check_name = models.CharField(_("check"), max_length=40)
    key = models.CharField(_("key"), max_length=200, blank=True)
    severity = models.CharField(_("severity"), max_length=10, choices=SEVERITIES)
    title = models.CharField(_("title"), max_length=300)
    # The title as the check wrote it: an English template and its values, so each page
    # shows it in the reader's language (`shown_title`); `title` stays the English line.
    title_parts = models.JSONField(_("title parts"), default=dict, blank=True)
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"))
    times_seen = models.PositiveIntegerField(_("times seen"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["status", "-last_seen", "-pk"]
        verbose_name = _("website finding")
        verbose_name_plural = _("website findings")
        constraints = [
            models.UniqueConstraint(
                fields=["monitor", "check_name", "key"], name="webwatch_finding_once"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def shown_title(self) -> str:
        """The title in the active language (the English line when it has no parts)."""
        return titles.translated(self.title_parts) or self.title

    @property
    def dedup_key(self) -> str:
        return f"webwatch:{self.monitor_id}:{self.check_name}" + (
            f":{self.key}" if self.key else ""
        )
