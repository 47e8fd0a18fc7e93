"""Requests from the city to an ISP unit, the ISP's answer per item, and its proof files."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citysoc.core.models import Person, Unit, UploadedFile
from citysoc.core.tenancy import UnitOwnedQuerySet

# Who at an ISP is told about a request (and about it being late).
ISP_ROLES = (Person.Role.ISP_LIAISON, Person.Role.UNIT_ADMIN)


class IspRequest(models.Model):
    """What the city asks one ISP to do by a due time (block, find subscribers, staffing)."""

    class Kind(models.TextChoices):
        BLOCK = "block", _("Block addresses, domains or URLs")
        SUBSCRIBERS = "subscribers", _("Find and notify the subscribers behind botnet IPs")
        STAFFING = "staffing", _("Report holiday duty staffing")

    class Status(models.TextChoices):
        SENT = "sent", _("Sent, not acknowledged")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    OPEN = (Status.SENT, Status.ACKNOWLEDGED)

    unit = models.ForeignKey(
        Unit, verbose_name=_("ISP"), on_delete=models.CASCADE, related_name="isp_requests"
    )
    kind = models.CharField(_("request"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=40, blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("what is asked"), blank=True)
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SENT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("ISP request")
        verbose_name_plural = _("ISP requests")

    def __str__(self) -> str:
        return f"{self.unit}: {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    def is_overdue(self, now=None) -> bool:
        return self.is_open and self.due_at < (now or timezone.now())


class IspRequestItem(models.Model):
    """One address, domain, URL or question of a request, with the ISP's answer."""

    class Kind(models.TextChoices):
        IP = "ip", _("IP address or range to block")
        DOMAIN = "domain", _("Domain to block")
        URL = "url", _("URL to block")
        SUBSCRIBER = "subscriber", _("Botnet IP: find and notify the subscriber")
        STAFFING = "staffing", _("Duty staffing")

    class Answer(models.TextChoices):
        PENDING = "pending", _("Not answered")
        DONE = "done", _("Done")
        NOTIFIED = "notified", _("Subscriber notified")
        NOT_POSSIBLE = "not_possible", _("Not possible")

    request = models.ForeignKey(
        IspRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="items"
    )
    # A copy of the request's unit, so tenancy filters items without a join.
    unit = models.ForeignKey(
        Unit, verbose_name=_("ISP"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    value = models.CharField(_("value"), max_length=500)
    note = models.CharField(_("note"), max_length=300, blank=True)
    sighting = models.ForeignKey(
        "intel.Sighting",
        verbose_name=_("sighting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="isp_items",
    )
    answer = models.CharField(
        _("answer"), max_length=20, choices=Answer.choices, default=Answer.PENDING
    )
    comment = models.TextField(_("reason or details"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["request", "pk"]
        verbose_name = _("request item")
        verbose_name_plural = _("request items")

    def __str__(self) -> str:
        return self.value


class IspProof(UploadedFile):
    """A file the ISP attaches to its answer (a screenshot, a log, a staffing list)."""

    request = models.ForeignKey(
        IspRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="proofs"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("ISP"), on_delete=models.CASCADE, related_name="+"
    )
    file = models.FileField(_("file"), upload_to="isps/proof/%Y/%m/")

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["request", "uploaded_at"]
        verbose_name = _("proof file")
        verbose_name_plural = _("proof files")

    def __str__(self) -> str:
        return self.filename
