"""Alert sources with their tokens, alerts deduplicated by key, every event kept, escalation
policies as data, maintenance windows, and minimal incidents.

An alert is one problem: repeats of the same dedup key on an open alert raise its `count`
and `last_seen`; after it is resolved, the same key opens a new alert. Every received event
is still stored (`AlertEvent`), so a storm loses nothing even when notifications are grouped.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from citysoc.core.models import Unit, hash_token
from citysoc.core.tenancy import UnitOwnedQuerySet

SEVERITIES = [
    ("critical", _("Critical")),
    ("high", _("High")),
    ("medium", _("Medium")),
    ("low", _("Low")),
    ("info", _("Info")),
]


class Urgency(models.TextChoices):
    HIGH = "high", _("High urgency")
    # Low urgency never escalates at night (PagerDuty's rule): it waits for the morning.
    LOW = "low", _("Low urgency")


class EscalationPolicy(models.Model):
    """Who is told, in which order, until someone acknowledges.

    A policy without a unit is the city's; a unit's sources use the unit's own policy if it
    has one marked default, else the city's default.
    """

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="escalation_policies",
    )
    name = models.CharField(_("name"), max_length=120)
    is_default = models.BooleanField(_("default for the unit"), default=False)
    # How many times the whole list of steps runs again while nobody acknowledges.
    repeat = models.PositiveSmallIntegerField(_("repeat times"), default=2)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "name"]
        verbose_name = _("escalation policy")
        verbose_name_plural = _("escalation policies")

    def __str__(self) -> str:
        return self.name


class EscalationStep(models.Model):
    class Target(models.TextChoices):
        ON_DUTY = "on_duty", _("Person on duty in the unit")
        UNIT_ADMINS = "unit_admins", _("Unit administrators")
        CITY_DUTY = "city_duty", _("City duty officer")
        CHANNEL = "channel", _("A channel")

    policy = models.ForeignKey(
        EscalationPolicy, verbose_name=_("policy"), on_delete=models.CASCADE, related_name="steps"
    )
    position = models.PositiveSmallIntegerField(_("order"))
    target = models.CharField(_("notify"), max_length=20, choices=Target.choices)
    channel = models.ForeignKey(
        "notify.Channel",
        verbose_name=_("channel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Minutes to wait after this step before the next one.
    wait_minutes = models.PositiveIntegerField(_("then wait (minutes)"), default=15)

    class Meta:
        ordering = ["policy", "position"]
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation steps")
        constraints = [
            models.UniqueConstraint(fields=["policy", "position"], name="alerts_step_position")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.get_target_display()}"


class AlertSource(models.Model):
    """One sender of alerts for one unit, with its own token.

    The token is shown once when made (`citysoc source create`) and stored as a SHA-256 hash,
    like API tokens. `expected_every` makes the source a heartbeat: silence for longer raises
    an alert of its own.
    """

    class Kind(models.TextChoices):
        GENERIC = "generic", _("Generic JSON")
        WAZUH = "wazuh", _("Wazuh")
        SURICATA = "suricata", _("Suricata EVE")
        ZEEK = "zeek", _("Zeek notice.log")
        ALERTMANAGER = "alertmanager", _("Prometheus Alertmanager")
        SYSLOG = "syslog", _("Firewall syslog")
        WEBWATCH = "webwatch", _("Website watch")
        SYSTEM = "system", _("citysoc itself")

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="alert_sources"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=120)
    token_prefix = models.CharField(_("token prefix"), max_length=12, blank=True, db_index=True)
    token_hash = models.CharField(_("token hash"), max_length=64, blank=True, db_index=True)
    # Syslog: the sender addresses (IPs or CIDRs, one per line) whose messages are this unit's.
    sender_ips = models.TextField(_("sender addresses"), blank=True)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.HIGH
    )
    escalation_policy = models.ForeignKey(
        EscalationPolicy,
        verbose_name=_("escalation policy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sources",
    )
    # Notifications beyond this many per minute from the source are grouped into one.
    notify_per_minute = models.PositiveIntegerField(_("notifications per minute"), default=10)
    expected_every = models.DurationField(_("expected at least every"), null=True, blank=True)
    last_event_at = models.DateTimeField(_("last event"), null=True, blank=True)
    silent_alerted_at = models.DateTimeField(_("silence reported"), null=True, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "name"]
        verbose_name = _("alert source")
        verbose_name_plural = _("alert sources")

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"

    def new_token(self) -> str:
        """Make a fresh token, keep only its hash, return it to show once."""
        token = "cs_al_" + secrets.token_urlsafe(30)
        self.token_prefix = token[:12]
        self.token_hash = hash_token(token)
        return token


class MaintenanceWindow(models.Model):
    """While a window is on, a source's alerts are stored but nobody is notified."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="maintenance_windows"
    )
    # Empty: every source of the unit.
    source = models.ForeignKey(
        AlertSource,
        verbose_name=_("source"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="maintenance_windows",
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("maintenance window")
        verbose_name_plural = _("maintenance windows")

    def __str__(self) -> str:
        return self.reason


class Incident(models.Model):
    """An incident case of a unit. The table stays here (alerts link to it and the audit log
    names it `alerts.incident`); the case work lives in the `incidents` app, which owns the
    fields below the comment "the incident area" and every table around the case."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CONTAINED = "contained", _("Contained")
        CLOSED = "closed", _("Closed")

    class Kind(models.TextChoices):
        # The rows of TT 20/2017 Mẫu 05, in the form's order.
        DOS = "dos", _("Denial of service")
        PHISHING = "phishing", _("Phishing / spoofing")
        MALWARE = "malware", _("Malware")
        INTRUSION = "intrusion", _("Unauthorised access / takeover")
        DEFACEMENT = "defacement", _("Defacement")
        RANSOMWARE = "ransomware", _("Encryption of software, data, devices (ransomware)")
        DESTRUCTION = "destruction", _("Destruction of information, data, software")
        ESPIONAGE = "espionage", _("Eavesdropping, espionage, data theft")
        COMBINED = "combined", _("Combined attack")
        OTHER = "other", _("Other")

    class Handling(models.TextChoices):
        # The columns of Mẫu 05: who handled it.
        SELF = "self", _("Handled by the unit itself")
        DOMESTIC = "domestic", _("With help of other organisations")
        FOREIGN = "foreign", _("With foreign help")
        NATIONAL = "national", _("With help requested from the national coordinator")

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="incidents"
    )
    title = models.CharField(_("title"), max_length=300)
    severity = models.CharField(_("severity"), max_length=10, choices=SEVERITIES)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # --- the incident area (citysoc.incidents) ---------------------------------------------
    kind = models.CharField(
        _("type"), max_length=15, choices=Kind.choices, default=Kind.OTHER, db_index=True
    )
    description = models.TextField(_("description"), blank=True)
    detected_at = models.DateTimeField(_("detected"), null=True, blank=True)
    # Codes of the serious-incident criteria that hold (incidents/serious.py).
    serious_criteria = models.JSONField(_("serious-incident criteria"), default=list, blank=True)
    beyond_capacity = models.BooleanField(_("beyond the unit's own capacity"), default=False)
    national_security = models.BooleanField(
        _("affects national security or public order"), default=False
    )
    detection_method = models.CharField(_("detected by"), max_length=200, blank=True)
    handling = models.CharField(
        _("handling"), max_length=10, choices=Handling.choices, default=Handling.SELF
    )
    damage = models.CharField(_("estimated damage"), max_length=200, blank=True)
    opened_from = models.CharField(_("opened from"), max_length=60, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    response_ended_at = models.DateTimeField(_("response ended"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged",
    )

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self) -> str:
        return self.title

    @property
    def detected(self):
        """When the incident was detected: the deadlines run from it."""
        return self.detected_at or self.created_at


class IncidentNote(models.Model):
    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="notes"
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("note"))

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("incident note")
        verbose_name_plural = _("incident notes")

    def __str__(self) -> str:
        return self.text[:80]


class Alert(models.Model):
    class Status(models.TextChoices):
        TRIGGERED = "triggered", _("Triggered")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        RESOLVED = "resolved", _("Resolved")

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="alerts"
    )
    source = models.ForeignKey(
        AlertSource, verbose_name=_("source"), on_delete=models.CASCADE, related_name="alerts"
    )
    dedup_key = models.CharField(pgettext_lazy("alert", "dedup key"), max_length=255)
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.TRIGGERED
    )
    severity = models.CharField(_("severity"), max_length=10, choices=SEVERITIES)
    # The sending tool's own word for it ("Warning", "Disaster", syslog "4"), as received.
    severity_word = models.CharField(_("severity as sent"), max_length=40, blank=True)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.HIGH
    )
    summary = models.CharField(_("summary"), max_length=200)
    details = models.JSONField(_("details"), default=dict, blank=True)
    links = models.JSONField(_("links"), default=list, blank=True)
    host = models.CharField(_("host"), max_length=255, blank=True)
    src_ip = models.CharField(_("source IP"), max_length=45, blank=True)
    dst_ip = models.CharField(_("destination IP"), max_length=45, blank=True)
    count = models.PositiveIntegerField(_("count"), default=1)
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"))
    # Stored while a maintenance window was on: nobody was notified about it.
    silenced = models.BooleanField(_("silenced"), default=False)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.CharField(_("acknowledged by"), max_length=150, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.CharField(_("resolved by"), max_length=150, blank=True)
    # Escalation state: kept in the row so that timers survive restarts.
    escalation_policy = models.ForeignKey(
        EscalationPolicy,
        verbose_name=_("escalation policy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    escalation_step = models.PositiveSmallIntegerField(_("next escalation step"), default=0)
    escalation_round = models.PositiveSmallIntegerField(_("escalation round"), default=0)
    next_escalation_at = models.DateTimeField(
        _("next escalation"), null=True, blank=True, db_index=True
    )
    incident = models.ForeignKey(
        Incident,
        verbose_name=_("incident"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="alerts",
    )

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-last_seen", "-pk"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [
            # One open alert per problem; a resolved one leaves room for the next.
            models.UniqueConstraint(
                fields=["source", "dedup_key"],
                condition=~Q(status="resolved"),
                name="alerts_one_open_per_key",
            )
        ]
        indexes = [
            models.Index(fields=["unit", "status", "-last_seen"], name="alerts_unit_status"),
        ]

    def __str__(self) -> str:
        return self.summary

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.RESOLVED


# What a source's event asked for, in words (alerts/sources/base.py ACTIONS).
EVENT_ACTIONS = {
    "trigger": _("Raised"),
    "acknowledge": _("Acknowledged"),
    "resolve": _("Resolved"),
}


class AlertEvent(models.Model):
    """Every event received, as received (a storm is stored in full)."""

    alert = models.ForeignKey(
        Alert, verbose_name=_("alert"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=15)
    received_at = models.DateTimeField(_("received"))
    occurred_at = models.DateTimeField(_("occurred"), null=True, blank=True)
    summary = models.CharField(_("summary"), max_length=200)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["received_at", "pk"]
        verbose_name = _("alert event")
        verbose_name_plural = _("alert events")

    def __str__(self) -> str:
        return f"{self.action}: {self.summary}"

    @property
    def action_label(self) -> str:
        """The event's action in words (the sources send "trigger", "acknowledge"…)."""
        return str(EVENT_ACTIONS.get(self.action, self.action))


class AlertLog(models.Model):
    """The alert's timeline: triggered, notified whom, escalated, acknowledged, notes."""

    class Kind(models.TextChoices):
        TRIGGERED = "triggered", _("Triggered")
        NOTIFIED = "notified", _("Notified")
        ESCALATED = "escalated", _("Escalated")
        SILENCED = "silenced", _("Silenced by maintenance")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        RESOLVED = "resolved", _("Resolved")
        REOPENED = "reopened", _("Reopened")
        NOTE = "note", _("Note")
        INCIDENT = "incident", _("Promoted to incident")

    alert = models.ForeignKey(
        Alert, verbose_name=_("alert"), on_delete=models.CASCADE, related_name="log"
    )
    at = models.DateTimeField(_("time"))
    kind = models.CharField(_("what"), max_length=15, choices=Kind.choices)
    actor = models.CharField(_("by"), max_length=150, blank=True)
    text = models.TextField(_("text"), blank=True)
    # The outbox message this entry sent, so "who was told, when, how" links to deliveries.
    message = models.ForeignKey(
        "notify.Message",
        verbose_name=_("notification"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("alert timeline entry")
        verbose_name_plural = _("alert timeline entries")

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"


__all__ = [
    "Alert",
    "AlertEvent",
    "AlertLog",
    "AlertSource",
    "EscalationPolicy",
    "EscalationStep",
    "Incident",
    "IncidentNote",
    "MaintenanceWindow",
    "Urgency",
]
