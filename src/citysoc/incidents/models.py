"""Everything around an incident case: affected systems, observables, tasks, evidence,
people, the national reports made, the contacts directory and the playbooks.

The case itself is `alerts.Incident` (the table existed before this app; its rows, the
alerts linked to it and its audit history stay where they are). Rows here belong to a
unit through their incident: `IncidentOwnedQuerySet` scopes them by the incident's unit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from citysoc.alerts.models import Incident
from citysoc.core.models import Unit
from citysoc.core.tenancy import UnitOwnedQuerySet, _ScopedQuerySet, scope_for


class IncidentOwnedQuerySet(_ScopedQuerySet):
    """For rows that belong to a unit through their incident."""

    path_lookup = "incident__unit__path"


class AffectedSystem(models.Model):
    """A system the incident touches, with its security level at the time."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="systems"
    )
    system = models.ForeignKey(
        "inventory.InformationSystem",
        verbose_name=_("information system"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=300)
    level = models.PositiveSmallIntegerField(_("security level"), null=True, blank=True)
    addresses = models.CharField(_("domains and IP addresses"), max_length=500, blank=True)

    objects = IncidentOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["incident", "pk"]
        verbose_name = _("affected system")
        verbose_name_plural = _("affected systems")

    def __str__(self) -> str:
        return self.name


class Observable(models.Model):
    """An IP address, domain, URL, hash or e-mail address seen in the incident."""

    class Kind(models.TextChoices):
        IP = "ip", _("IP address")
        DOMAIN = "domain", _("Domain")
        URL = "url", _("URL")
        HASH = "hash", _("File hash")
        EMAIL = "email", _("E-mail address")

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="observables"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    value = models.CharField(_("value"), max_length=500, db_index=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    objects = IncidentOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["incident", "kind", "value"]
        verbose_name = _("observable")
        verbose_name_plural = _("observables")
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "kind", "value"], name="observable_once_per_incident"
            )
        ]

    def __str__(self) -> str:
        return self.value


class Task(models.Model):
    """One step of the response, often from the playbook of the incident's type."""

    class Phase(models.TextChoices):
        # TT 20/2017 Phụ lục II: the response process.
        RECEIVE = "receive", _("Receive and verify")
        CONTAIN = "contain", _("Contain")
        ERADICATE = "eradicate", _("Eradicate")
        RECOVER = "recover", _("Recover")
        LESSONS = "lessons", _("Lessons learned")

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="tasks"
    )
    phase = models.CharField(_("phase"), max_length=10, choices=Phase.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("task"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    owner_role = models.CharField(_("owner role"), max_length=30, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.CharField(_("done by"), max_length=150, blank=True)
    reminded_on = models.DateField(_("last reminded"), null=True, blank=True)

    objects = IncidentOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["incident", "position", "pk"]
        verbose_name = _("incident task")
        verbose_name_plural = _("incident tasks")

    def __str__(self) -> str:
        return self.title


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"incidents/{instance.incident_id}/{filename}"


class Evidence(models.Model):
    """A file kept as evidence: logs, a screenshot, a malware sample (zipped)."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=300)
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    note = models.CharField(_("note"), max_length=300, blank=True)
    uploaded_by = models.CharField(_("uploaded by"), max_length=150, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = IncidentOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["incident", "-uploaded_at"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.name


class Participant(models.Model):
    """A person working on or concerned by the incident (reporter, responder, contact)."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="people"
    )
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=150, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    objects = IncidentOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["incident", "pk"]
        verbose_name = _("person on the incident")
        verbose_name_plural = _("people on the incident")

    def __str__(self) -> str:
        return self.name


class Report(models.Model):
    """A national report made from a case (or a unit's summary): when, and when it was sent.

    A report marked sent meets the deadlines its form answers (incidents/deadlines.py).
    """

    class Form(models.TextChoices):
        NOTICE = "notice", _("Incident notification")
        INITIAL = "03", _("Initial report (Mẫu 03)")
        PROGRESS = "progress", _("Progress report")
        PLAN = "plan", _("Response plan report")
        ASSISTANCE = "assistance", _("Assistance request")
        CLOSING = "04", _("Closing report (Mẫu 04)")
        SUMMARY = "05", _("Summary report (Mẫu 05)")

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="incident_reports"
    )
    incident = models.ForeignKey(
        Incident,
        verbose_name=_("incident"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reports",
    )
    form = models.CharField(_("form"), max_length=10, choices=Form.choices)
    text = models.TextField(_("content"), blank=True)
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)
    created_by = models.CharField(_("made by"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("made"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("incident report")
        verbose_name_plural = _("incident reports")

    def __str__(self) -> str:
        return f"{self.get_form_display()} #{self.pk}"


class ContactQuerySet(UnitOwnedQuerySet):
    def visible_to(self, user):
        """The city-wide contacts (no unit) for everyone, plus the user's units' own."""
        if scope_for(user).everything:
            return self
        return self.filter(Q(unit__isnull=True) | Q(pk__in=super().visible_to(user).values("pk")))


class Contact(models.Model):
    """An incident contact: a national body, the provincial police cyber unit, an ISP, the
    city's or a unit's own responders. Dated: a contact out of its dates is not shown."""

    class Kind(models.TextChoices):
        NATIONAL = "national", _("National coordinator / monitoring centre")
        POLICE = "police", _("Provincial police cyber unit")
        CITY = "city", _("City incident contact")
        UNIT = "unit", _("Unit incident contact")
        ISP = "isp", _("Internet service provider")
        OTHER = "other", _("Other")

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="incident_contacts",
        help_text=_("Empty for a contact every unit sees."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=80, blank=True)
    email = models.CharField(_("e-mail"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("incident contact")
        verbose_name_plural = _("incident contacts")

    def __str__(self) -> str:
        return self.name


class Playbook(models.Model):
    """The city's edited playbook of one incident type (YAML); the shipped file otherwise."""

    kind = models.CharField(_("incident type"), max_length=15, unique=True)
    text = models.TextField(_("playbook (YAML)"))
    updated_by = models.CharField(_("updated by"), max_length=150, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("playbook")
        verbose_name_plural = _("playbooks")

    def __str__(self) -> str:
        return self.kind
