"""Channels to reach people through, the messages to send, and one delivery row per recipient.

The delivery rows are the outbox: they survive restarts and keep the answer to "was the
duty officer told, when, and how" (the healthchecks Flip/Notification pattern).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from citysoc.core.models import Person, Unit
from citysoc.core.tenancy import UnitOwnedQuerySet, can_edit, scope_for


class ChannelQuerySet(UnitOwnedQuerySet["Channel"]):
    """Unit tenancy, plus the city-wide channels (no unit): city roles see them, and city
    administrators change them."""

    def visible_to(self, user: Any) -> Self:
        rows = super().visible_to(user)
        scope = scope_for(user)
        if scope.city_reader and not scope.everything:
            rows = rows | self.filter(unit__isnull=True)
        return rows

    def editable_by(self, user: Any) -> Self:
        rows = super().editable_by(user)
        scope = scope_for(user)
        if scope.is_city and not scope.everything:
            rows = rows | self.filter(unit__isnull=True)
        return rows

    def of_units(self, unit_ids: Iterable[int]) -> Self:
        """The units' own channels, not the personal ones of their people."""
        return self.filter(unit_id__in=list(unit_ids), person__isnull=True)

    def people_of(self, unit_id: int | None) -> Channel:
        """The unit's "officers by e-mail" channel (the city's for None), made on first use.

        Every message that reaches a unit's people by e-mail goes through it, so the outbox
        records it like any other; an operator may disable it like any other.
        """
        owner = models.Q(unit_id=unit_id) if unit_id is not None else models.Q(unit__isnull=True)
        found = self.filter(owner, person__isnull=True, kind=Channel.Kind.PEOPLE)
        channel = found.order_by("pk").first()
        if channel is None:
            with translation.override(settings.LANGUAGE_CODE):
                name = str(Channel.Kind.PEOPLE.label)
            channel = self.create(unit_id=unit_id, kind=Channel.Kind.PEOPLE, name=name)
        return channel


class Channel(models.Model):
    """One way of reaching someone: an e-mail address, a Telegram chat, a webhook…

    `config` by kind (the transport module's docstring is the reference):
    email {"addresses": [...]}; webhook {"url", "headers"}; telegram {"bot_token", "chat_id",
    "base_url"}; zalo {"access_token", "user_id", "base_url"}; sms_http {"url_template",
    "method", "numbers": [...]}; apprise {"url"}.
    A channel without a unit is city-wide; `visible_to()` then shows it to city roles only.
    A channel with a `person` reaches that one person (their Telegram chat, phone, e-mail);
    its unit is the person's unit.
    """

    class Kind(models.TextChoices):
        EMAIL = "email", _("E-mail")
        WEBHOOK = "webhook", _("Webhook")
        TELEGRAM = "telegram", _("Telegram")
        ZALO = "zalo", _("Zalo OA")
        SMS_HTTP = "sms_http", _("SMS gateway (HTTP)")
        APPRISE = "apprise", _("Apprise URL")
        # Made by citysoc for each unit (and the city): the unit's officers by e-mail,
        # recipients chosen per message by role. See notify/reach.py.
        PEOPLE = "people", _("Officers by e-mail")

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notify_channels",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person reached"),
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

    objects = ChannelQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "name"]
        verbose_name = _("notification channel")
        verbose_name_plural = _("notification channels")

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"

    def may_change(self, user: Any) -> bool:
        """A unit's editors change its channels; city administrators the city-wide ones."""
        if self.unit_id is None:
            return scope_for(user).is_city
        return can_edit(user, self.unit)

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
        if self.kind == self.Kind.PEOPLE:
            return _people_emails(self.unit_id)
        # A webhook or an Apprise URL is one destination: the channel itself.
        return [self.name]


def _people_emails(unit_id: int | None) -> list[str]:
    """The unit's administrators' e-mail (the city's for a city-wide channel): whom a Test
    of a people channel reaches. Real messages choose their roles (notify/reach.py)."""
    if unit_id is None:
        people = Person.objects.filter(role=Person.Role.CITY_ADMIN)
    else:
        people = Person.objects.filter(unit_id=unit_id, role=Person.Role.UNIT_ADMIN)
    people = people.filter(is_active=True).exclude(email="")
    return sorted(set(people.values_list("email", flat=True)))


def _as_list(value: object) -> list[str]:
    if value in (None, ""):
        return []
    values = value if isinstance(value, list | tuple) else [value]
    return [str(v).strip() for v in values if str(v).strip()]


class MessageQuerySet(models.QuerySet["Message"]):
    def visible_to(self, user: Any) -> Self:
        """City roles: every message; others: those with a delivery on a channel they see."""
        if scope_for(user).city_reader:
            return self
        deliveries = Delivery.objects.filter(
            message=models.OuterRef("pk"), channel__in=Channel.objects.visible_to(user)
        )
        return self.filter(models.Exists(deliveries))


class DeliveryQuerySet(models.QuerySet["Delivery"]):
    def visible_to(self, user: Any) -> Self:
        """The deliveries on channels this user sees (another unit's recipients stay hidden)."""
        if scope_for(user).city_reader:
            return self
        return self.filter(channel__in=Channel.objects.visible_to(user))


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

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["related_type", "related_id"], name="notify_message_related"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def topic_label(self) -> str:
        from citysoc.notify import topics

        return topics.label(self.topic)


# The outbox's own reasons for not sending: stored in English (scripts and the API match on
# them), shown to people in their language by `Delivery.shown_error`.
NOBODY = gettext_noop("nobody to tell: no active person in these roles has an e-mail address")
NO_RECIPIENT = gettext_noop("channel has no recipient in its settings")
DISABLED = "channel disabled: "
BY_AN_OPERATOR = gettext_noop("by an operator")


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

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notify_delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.message} → {self.recipient} ({self.status})"

    @property
    def shown_error(self) -> str:
        """`last_error` in the reader's language when it is one of the outbox's own reasons
        (a transport's error stays as the server wrote it)."""
        error = self.last_error
        if error in (NOBODY, NO_RECIPIENT):
            return gettext(error)
        if error.startswith(DISABLED):
            reason = error.removeprefix(DISABLED)
            reason = gettext(reason) if reason == BY_AN_OPERATOR else reason
            return gettext("channel disabled: %(reason)s") % {"reason": reason}
        return error
