"""Agents enrolled per unit, rule sets, sweep campaigns and jobs, signed results and hits."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from citysoc.core.models import Unit
from citysoc.core.tenancy import UnitOwnedQuerySet
from citysoc.inventory.models import Host


class Verdict(models.TextChoices):
    CLEAN = "clean", _("Clean")
    SUSPICIOUS = "suspicious", _("Suspicious")
    INFECTED = "infected", _("Infected")


class EnrolmentToken(models.Model):
    """A secret a unit admin hands to the hosts of one unit so they can enrol there."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="enrolment_tokens"
    )
    prefix = models.CharField(_("token prefix"), max_length=12, db_index=True)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    expires_at = models.DateTimeField(_("expires"))
    max_uses = models.PositiveIntegerField(_("maximum enrolments"), default=100)
    uses = models.PositiveIntegerField(_("enrolments"), default=0)
    revoked = models.BooleanField(_("revoked"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("enrolment token")
        verbose_name_plural = _("enrolment tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.unit.code})"


class Agent(models.Model):
    """One enrolled host: what it said about itself, its signing secret, when last heard."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        OFFLINE = "offline", _("Offline bundle")
        RETIRED = "retired", _("Retired")

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="agents"
    )
    host = models.ForeignKey(
        Host, verbose_name=_("host"), on_delete=models.CASCADE, related_name="agents"
    )
    key = models.CharField(_("agent id"), max_length=40, unique=True)
    # HMAC-SHA256 key shared with the host at enrolment; see docs/sweep.md for why not Ed25519.
    secret = models.CharField(max_length=64, editable=False)
    machine_id = models.CharField(_("machine id"), max_length=100, blank=True, db_index=True)
    hostname = models.CharField(_("hostname"), max_length=200)
    os = models.CharField(_("operating system"), max_length=120, blank=True)
    os_version = models.CharField(_("OS version"), max_length=300, blank=True)
    agent_version = models.CharField(_("agent version"), max_length=40, blank=True)
    ips = models.JSONField(_("IP addresses"), default=list, blank=True)
    macs = models.JSONField(_("MAC addresses"), default=list, blank=True)
    users = models.JSONField(_("logged-in users"), default=list, blank=True)
    software = models.JSONField(_("installed software"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    enrolled_at = models.DateTimeField(_("enrolled"), auto_now_add=True)
    last_seen = models.DateTimeField(_("last heard"), null=True, blank=True)
    silent_alerted = models.BooleanField(_("silence alert raised"), default=False)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "hostname"]
        verbose_name = _("agent")
        verbose_name_plural = _("agents")

    def __str__(self) -> str:
        return f"{self.hostname} ({self.key})"


class RuleSet(models.Model):
    """One version of a centrally managed rule set: YARA source, hashes or file-name IOCs."""

    class Kind(models.TextChoices):
        YARA = "yara", _("YARA rules")
        HASHES = "hashes", _("Hashes (HASH;DESCRIPTION)")
        FILENAMES = "filenames", _("File-name IOCs (REGEX;SCORE)")

    name = models.CharField(_("name"), max_length=100)
    version = models.PositiveIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("content"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    active = models.BooleanField(_("sent to agents"), default=True)
    rule_count = models.PositiveIntegerField(_("rules"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name", "-version"]
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="ruleset_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class Campaign(models.Model):
    """A sweep of every enrolled host of a unit's subtree (the city root: every unit)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="sweep_campaigns"
    )
    name = models.CharField(_("name"), max_length=200)
    botnet_first = models.BooleanField(
        _("hosts with open botnet clean-up tasks first"), default=True
    )
    paths = models.JSONField(_("paths"), default=list, blank=True)
    max_files = models.PositiveIntegerField(_("maximum files"), default=200_000)
    max_seconds = models.PositiveIntegerField(_("maximum run time (seconds)"), default=3600)
    due_date = models.DateField(_("due"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("sweep campaign")
        verbose_name_plural = _("sweep campaigns")

    def __str__(self) -> str:
        return self.name


class Job(models.Model):
    """One campaign's work for one agent: queued, handed to the agent, done."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent to the agent")
        DONE = "done", _("Done")

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="jobs"
    )
    agent = models.ForeignKey(
        Agent, verbose_name=_("agent"), on_delete=models.CASCADE, related_name="jobs"
    )
    priority = models.PositiveSmallIntegerField(_("order"), default=2)  # 1: botnet task open
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["priority", "id"]
        verbose_name = _("sweep job")
        verbose_name_plural = _("sweep jobs")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "agent"], name="sweep_job_once"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} → {self.agent}"


class Result(models.Model):
    """One signed sweep result of one host, as received (online or from an offline file)."""

    class Via(models.TextChoices):
        ONLINE = "online", _("Agent upload")
        OFFLINE = "offline", _("Offline file")

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="sweep_results"
    )
    agent = models.ForeignKey(
        Agent, verbose_name=_("agent"), on_delete=models.CASCADE, related_name="results"
    )
    host = models.ForeignKey(
        Host, verbose_name=_("host"), on_delete=models.CASCADE, related_name="sweep_results"
    )
    job = models.ForeignKey(
        Job, verbose_name=_("job"), null=True, blank=True, on_delete=models.SET_NULL
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="results",
    )
    via = models.CharField(_("received as"), max_length=10, choices=Via.choices)
    body_sha256 = models.CharField(_("SHA-256 of the signed body"), max_length=64)
    verdict = models.CharField(_("verdict"), max_length=12, choices=Verdict.choices)
    started_at = models.DateTimeField(_("sweep started"))
    finished_at = models.DateTimeField(_("sweep finished"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    files = models.PositiveIntegerField(_("files"), default=0)
    connections = models.PositiveIntegerField(_("connections"), default=0)
    hit_count = models.PositiveIntegerField(_("hits"), default=0)
    complete = models.BooleanField(_("complete"), default=True)
    checks = models.JSONField(_("checks run"), default=dict, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    tasks = models.ManyToManyField(
        "intel.CleanupTask", verbose_name=_("clean-up tasks"), blank=True, related_name="+"
    )

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-finished_at", "-id"]
        verbose_name = _("sweep result")
        verbose_name_plural = _("sweep results")
        constraints = [
            # The same signed file uploaded twice is the same result.
            models.UniqueConstraint(fields=["agent", "body_sha256"], name="sweep_result_once"),
        ]
        indexes = [
            models.Index(fields=["unit", "host", "-finished_at"], name="sweep_result_host_idx")
        ]

    def __str__(self) -> str:
        return f"{self.host} {self.get_verdict_display()}"


class Hit(models.Model):
    """One piece of evidence in a result: where, what matched, and how bad."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    result = models.ForeignKey(
        Result, verbose_name=_("result"), on_delete=models.CASCADE, related_name="hits"
    )
    check_name = models.CharField(_("check"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20)
    score = models.PositiveSmallIntegerField(_("score"))
    title = models.CharField(_("title"), max_length=300)
    path = models.CharField(_("path"), max_length=1000, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    md5 = models.CharField(_("MD5"), max_length=32, blank=True)
    rule = models.CharField(_("rule"), max_length=300, blank=True)
    remote = models.CharField(_("remote address"), max_length=300, blank=True)
    process = models.CharField(_("process"), max_length=200, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "id"]
        verbose_name = _("sweep hit")
        verbose_name_plural = _("sweep hits")

    def __str__(self) -> str:
        return self.title
