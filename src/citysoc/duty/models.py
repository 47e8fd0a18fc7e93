"""Rosters (lịch trực) with layers, shifts and overrides; swap requests; the duty log.

A roster belongs to one unit and covers a period of days. Its shifts sit in layers: where
two layers both have someone on duty, the higher layer wins (PagerDuty's schedule layers).
An override puts a person on duty from–to, instead of everybody (or instead of one named
person). What that adds up to at any moment is computed in `duty.schedule`, never stored.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from citysoc.core.models import Person, Unit
from citysoc.core.tenancy import UnitOwnedQuerySet


class RosterPartQuerySet(UnitOwnedQuerySet):
    """Layers, shifts and overrides: their unit is their roster's."""

    path_lookup = "roster__unit__path"


class Roster(models.Model):
    """A unit's duty roster for a period, e.g. the Tết holiday (from 00:00 of the first
    day to 24:00 of the last, Asia/Ho_Chi_Minh)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="duty_rosters"
    )
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "unit__path", "name"]
        verbose_name = _("duty roster")
        verbose_name_plural = _("duty rosters")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="duty_roster_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"

    @property
    def period_start(self) -> dt.datetime:
        return local_midnight(self.starts_on)

    @property
    def period_end(self) -> dt.datetime:
        return local_midnight(self.ends_on + dt.timedelta(days=1))


def local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=timezone.get_default_timezone())


class Layer(models.Model):
    """A layer of shifts; a higher level overrides lower levels where they overlap."""

    roster = models.ForeignKey(
        Roster, verbose_name=_("roster"), on_delete=models.CASCADE, related_name="layers"
    )
    name = models.CharField(_("name"), max_length=120)
    level = models.PositiveSmallIntegerField(
        _("level"), default=1, help_text=_("Where layers overlap, the higher level wins.")
    )

    objects = RosterPartQuerySet.as_manager()

    class Meta:
        ordering = ["roster", "level", "pk"]
        verbose_name = _("layer")
        verbose_name_plural = _("layers")

    def __str__(self) -> str:
        return f"{self.name} ({self.level})"

    @property
    def unit(self) -> Unit:
        return self.roster.unit


class Shift(models.Model):
    """A shift rule: every day, on some weekdays, or once; with the people on it."""

    class Repeat(models.TextChoices):
        DAILY = "daily", _("Every day")
        WEEKLY = "weekly", _("On some weekdays")
        ONCE = "once", _("Once")

    roster = models.ForeignKey(
        Roster, verbose_name=_("roster"), on_delete=models.CASCADE, related_name="shifts"
    )
    layer = models.ForeignKey(
        Layer, verbose_name=_("layer"), on_delete=models.CASCADE, related_name="shifts"
    )
    name = models.CharField(_("name"), max_length=120)
    repeat = models.CharField(
        _("repeats"), max_length=10, choices=Repeat.choices, default=Repeat.DAILY
    )
    start_time = models.TimeField(_("starts at"), null=True, blank=True)
    end_time = models.TimeField(
        _("ends at"),
        null=True,
        blank=True,
        help_text=_("An end at or before the start means the next day (19:00–07:00)."),
    )
    # Monday = 0 … Sunday = 6, as Python's date.weekday().
    weekdays = models.JSONField(_("weekdays"), default=list, blank=True)
    first_day = models.DateField(_("from day"), null=True, blank=True)
    last_day = models.DateField(_("until day"), null=True, blank=True)
    once_start = models.DateTimeField(_("one-off start"), null=True, blank=True)
    once_end = models.DateTimeField(_("one-off end"), null=True, blank=True)
    people = models.ManyToManyField(
        Person, verbose_name=_("people on duty"), related_name="duty_shifts", blank=True
    )

    objects = RosterPartQuerySet.as_manager()

    class Meta:
        ordering = ["roster", "layer__level", "start_time", "pk"]
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")

    def __str__(self) -> str:
        return self.name

    @property
    def unit(self) -> Unit:
        return self.roster.unit


class Override(models.Model):
    """A person on duty from–to instead of everyone scheduled (or instead of one person)."""

    roster = models.ForeignKey(
        Roster, verbose_name=_("roster"), on_delete=models.CASCADE, related_name="overrides"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person on duty"), on_delete=models.CASCADE, related_name="+"
    )
    replaces = models.ForeignKey(
        Person,
        verbose_name=_("instead of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Leave empty to replace everyone scheduled at that time."),
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("to"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = RosterPartQuerySet.as_manager()

    class Meta:
        ordering = ["roster", "starts_at", "pk"]
        verbose_name = _("override")
        verbose_name_plural = _("overrides")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="duty_override_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.starts_at:%d/%m %H:%M}–{self.ends_at:%d/%m %H:%M}"

    @property
    def unit(self) -> Unit:
        return self.roster.unit


class SwapRequest(models.Model):
    """Person A asks person B to take one occurrence of a shift (đổi ca)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    roster = models.ForeignKey(
        Roster, verbose_name=_("roster"), on_delete=models.CASCADE, related_name="swaps"
    )
    shift = models.ForeignKey(
        Shift, verbose_name=_("shift"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("to"))
    requester = models.ForeignKey(
        Person, verbose_name=_("asked by"), on_delete=models.CASCADE, related_name="+"
    )
    target = models.ForeignKey(
        Person, verbose_name=_("asked to take it"), on_delete=models.CASCADE, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_at = models.DateTimeField(
        pgettext_lazy("swap request", "answered"), null=True, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("swap request", "answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    override = models.ForeignKey(
        Override, verbose_name=_("override"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("swap request")
        verbose_name_plural = _("swap requests")

    def __str__(self) -> str:
        return f"{self.requester} → {self.target} {self.starts_at:%d/%m %H:%M}"


class LogEntry(models.Model):
    """One line of the duty log (sổ nhật ký trực): what was checked, seen and done."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="duty_log"
    )
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    shift = models.ForeignKey(
        Shift,
        verbose_name=_("shift"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="log_entries",
    )
    checked = models.TextField(_("what was checked"))
    seen = models.TextField(_("what was seen"), blank=True)
    done = models.TextField(_("what was done"), blank=True)
    person = models.ForeignKey(
        Person,
        verbose_name=_("on duty"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("duty log entry")
        verbose_name_plural = _("duty log entries")

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.checked[:60]}"


class Handover(models.Model):
    """The handover at a shift change (bàn giao ca), acknowledged by the incoming person."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="duty_handovers"
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    from_person = models.ForeignKey(
        Person, verbose_name=_("outgoing"), on_delete=models.CASCADE, related_name="+"
    )
    to_person = models.ForeignKey(
        Person, verbose_name=_("incoming"), on_delete=models.CASCADE, related_name="+"
    )
    note = models.TextField(_("handover note"))
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.from_person} → {self.to_person}"


class GapNotice(models.Model):
    """A roster gap the unit's admins were told about: each gap is mailed once."""

    roster = models.ForeignKey(
        Roster, verbose_name=_("roster"), on_delete=models.CASCADE, related_name="+"
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("to"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["roster", "starts_at"]
        verbose_name = _("gap notice")
        verbose_name_plural = _("gap notices")
        constraints = [
            models.UniqueConstraint(
                fields=["roster", "starts_at", "ends_at"], name="duty_gap_notice_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.roster}: {self.starts_at:%d/%m %H:%M}–{self.ends_at:%d/%m %H:%M}"


def new_calendar_key() -> str:
    return secrets.token_urlsafe(12)


class CalendarKey(models.Model):
    """The changeable part of a person's calendar link: a new key revokes the old link."""

    person = models.OneToOneField(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="duty_calendar"
    )
    key = models.CharField(_("key"), max_length=40, default=new_calendar_key)
    created_at = models.DateTimeField(_("created"), auto_now=True)

    class Meta:
        verbose_name = _("calendar link")
        verbose_name_plural = _("calendar links")

    def __str__(self) -> str:
        return str(self.person)
