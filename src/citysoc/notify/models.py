"""Channels to reach people through, the messages to send, and one delivery row per recipient.

The delivery rows are the outbox: they survive restarts and keep the answer to "was the
duty officer told, when, and how" (the healthchecks Flip/Notification pattern).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from citysoc.core.models import Unit
from citysoc.core.tenancy import UnitOwnedQuerySet


class Channel(models.Model):
    """One way of reaching someone: an e-mail address, a Telegram chat, a webhook…

    `config` by kind (the transport module's docstring is the reference):
    email {"addresses": [...]}; webhook {"url", "headers"}; telegram {"bot_token", "chat_id",
    "base_url"}; zalo {"access_token", "user_id", "base_url"}; sms_http {"url_template",
    "method", "numbers": [...]}; apprise {"url"}.
    A channel without a unit is city-wide; `visible_to()` then shows it to city roles only.
    """

    class Kind(models.TextChoices):
        EMAIL = "email", _("E-mail")
        WEBHOOK = "webhook", _("Webhook")
        TELEGRAM = "telegram", _("Telegram")
        ZALO = "zalo", _("Zalo OA")
        SMS_HTTP = "sms_http", _("SMS gateway (HTTP)")
        APPRISE = "apprise", _("Apprise URL")

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notify_channels",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=120)
    config = models.JSONField(_("settings"), default=dict, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    disabled_reason = models.TextField(_("why disabled"), blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_ok_at = models.DateTimeField(_("last delivered"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "name"]
        verbose_name = _("notification channel")
        verbose_name_plural = _("notification channels")

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"

    def recipients(self) -> list[str]:
        """Who one message on this channel goes to: one delivery row each."""
        config = self.config or {}
        if self.kind == self.Kind.EMAIL:
            return _as_list(config.get("addresses") or config.get("address"))
        if self.kind == self.Kind.SMS_HTTP:
            return _as_list(config.get("numbers") or config.get("number"))
        if self.kind == self.Kind.TELEGRAM:
            return _as_list(config.get("chat_id"))
        if self.kind == self.Kind.ZALO:
            return _as_list(config.get("user_id"))
        # A webhook or an Apprise URL is one destination: the channel itself.
        return [self.name]


def _as_list(value) -> list[str]:
    if value in (None, ""):
        return []
    values = value if isinstance(value, list | tuple) else [value]
    return [str(v).strip() for v in values if str(v).strip()]


class Message(models.Model):
    """What to say, once: a dedup key makes a second enqueue of the same news a no-op."""

    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"), blank=True)
    topic = models.CharField(_("topic"), max_length=80, db_index=True)
    # NULL for messages that may repeat; unique otherwise (NULLs never collide).
    dedup_key = models.CharField(_("dedup key"), max_length=200, null=True, blank=True, unique=True)
    related_type = models.CharField(_("related object type"), max_length=100, blank=True)
    related_id = models.CharField(_("related object id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["related_type", "related_id"], name="notify_message_related"),
        ]

    def __str__(self) -> str:
        return self.subject


class Delivery(models.Model):
    """One message to one recipient over one channel, and how that went."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        # Not attempted: the channel was disabled (by an operator or a permanent error).
        FAILED = "failed", _("Failed")
        # Attempted and given up: a permanent error, or too many transient ones.
        DEAD = "dead", _("Gave up")

    message = models.ForeignKey(
        Message, verbose_name=_("notification"), on_delete=models.CASCADE, related_name="deliveries"
    )
    # PROTECT: the record of who was told outlives a channel; disable a channel instead.
    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.PROTECT, related_name="deliveries"
    )
    recipient = models.CharField(_("recipient"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    claimed_by = models.CharField(_("claimed by"), max_length=120, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notify_delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.message} → {self.recipient} ({self.status})"
