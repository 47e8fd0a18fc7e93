"""Units (the city and every body under it), people with their roles, audit log, tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from citysoc.core.tenancy import UnitOwnedQuerySet, UnitQuerySet


class Unit(models.Model):
    """An organisation in the city's hierarchy: the city itself, a department, a ward…"""

    class Kind(models.TextChoices):
        CITY = "city", _("City / province")
        DEPARTMENT = "department", _("Department")
        WARD = "ward", _("Ward / commune")
        SCHOOL = "school", _("School")
        PUBLIC_SERVICE = "public_service", _("Public service unit")
        ENTERPRISE = "enterprise", _("Enterprise")
        ISP = "isp", _("Internet service provider")
        OTHER = "other", _("Other")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path "/1/7/23/" so that "this unit and everything under it" is one
    # indexed prefix query at any depth.
    path = models.CharField(_("path"), max_length=500, editable=False, db_index=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    security_lead_name = models.CharField(_("security lead"), max_length=120, blank=True)
    security_lead_phone = models.CharField(_("security lead phone"), max_length=40, blank=True)
    security_lead_email = models.EmailField(_("security lead e-mail"), blank=True)
    incident_contact_name = models.CharField(_("24/7 incident contact"), max_length=120, blank=True)
    incident_contact_phone = models.CharField(
        _("24/7 incident contact phone"), max_length=40, blank=True
    )
    incident_contact_email = models.EmailField(_("24/7 incident contact e-mail"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if self.pk and self.parent is not None and self.parent.path.startswith(self.path):
            raise ValueError("a unit cannot be placed under itself or one of its sub-units")
        super().save(*args, **kwargs)
        new_path = f"{self.parent.path if self.parent is not None else '/'}{self.pk}/"
        if new_path != self.path:
            old_path = self.path
            type(self).objects.filter(pk=self.pk).update(path=new_path)
            self.path = new_path
            if old_path:
                _move_subtree(old_path, new_path)

    @property
    def unit(self) -> Unit:
        # Lets tenancy and audit treat a unit like any other unit-owned row.
        return self

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


def _move_subtree(old_path: str, new_path: str) -> None:
    for child in Unit.objects.filter(path__startswith=old_path).exclude(path=old_path):
        Unit.objects.filter(pk=child.pk).update(path=new_path + child.path[len(old_path) :])


class Person(models.Model):
    """A person of a unit, with their role there; `user` is set when they can log in."""

    class Role(models.TextChoices):
        CITY_ADMIN = "city_admin", _("City administrator")
        UNIT_ADMIN = "unit_admin", _("Unit administrator")
        OPERATOR = "operator", _("Operator")
        VIEWER = "viewer", _("Viewer")
        ISP_LIAISON = "isp_liaison", _("ISP liaison")
        CONTACT = "contact", _("Contact (no login)")

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="people"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="memberships",
    )
    full_name = models.CharField(_("full name"), max_length=120)
    title = models.CharField(_("job title"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CONTACT)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "full_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit"], name="person_one_role_per_user_and_unit"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class AuditEntry(models.Model):
    """One change by a person or a token: who, when, what, before and after."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        IMPORT = "import", _("imported")
        LOGIN = "login", _("logged in")
        LOGOUT = "logout", _("logged out")
        LOGIN_FAILED = "login_failed", _("login failed")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("by (name)"), max_length=150, blank=True)
    via = models.CharField(_("via"), max_length=20, blank=True)  # web, api, cli, task
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    model = models.CharField(_("object type"), max_length=60, db_index=True)
    object_id = models.CharField(_("object id"), max_length=40, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.SET_NULL
    )
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"


def hash_token(raw: str) -> str:
    """How bearer tokens are kept: API tokens and alert-source tokens alike."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the API. Only its hash is stored; the token is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @classmethod
    def issue(cls, user, name: str = "") -> tuple[ApiToken, str]:
        """Create a token and return it with the raw secret, which is not kept."""
        raw = "cs_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=raw[:10], key_hash=hash_token(raw))
        return token, raw

    @classmethod
    def find(cls, raw: str) -> ApiToken | None:
        return (
            cls.objects.select_related("user")
            .filter(key_hash=hash_token(raw), revoked_at__isnull=True)
            .first()
        )


class ScheduledJob(models.Model):
    """A periodic job's row, claimed by one scheduler at a time (see citysoc.scheduler)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    interval_seconds = models.PositiveIntegerField(_("interval (seconds)"))
    next_run_at = models.DateTimeField(_("next run"), db_index=True)
    last_started_at = models.DateTimeField(_("last started"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("last finished"), null=True, blank=True)
    last_status = models.CharField(_("last status"), max_length=20, blank=True)
    last_message = models.TextField(_("last message"), blank=True)
    claimed_by = models.CharField(_("claimed by"), max_length=100, blank=True)
    run_count = models.PositiveIntegerField(_("runs"), default=0)

    class Meta:
        ordering = ["name"]
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")

    def __str__(self) -> str:
        return self.name


class DeliveryProblem(models.Model):
    """A unit a reminder or notice could not reach: kept until a later run reaches it.

    Written by the periodic senders (see citysoc.core.delivery_problems) so that a unit
    with nobody to write to is seen on its page and on the city's dashboard, not only in
    the server log.
    """

    class Problem(models.TextChoices):
        NO_RECIPIENT = "no_recipient", _("nobody in the unit has an e-mail address to send to")
        SEND_FAILED = "send_failed", _("the mail server did not accept the message")

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="delivery_problems"
    )
    topic = models.CharField(_("message"), max_length=60)
    problem = models.CharField(_("problem"), max_length=20, choices=Problem.choices)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    first_seen_at = models.DateTimeField(_("first seen"))
    last_seen_at = models.DateTimeField(_("last seen"))
    times = models.PositiveIntegerField(_("times"), default=1)

    objects = UnitOwnedQuerySet.as_manager()
    # Not a column: the topic's readable name, set for display by delivery_problems.
    topic_label: str

    class Meta:
        ordering = ["-last_seen_at"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "topic"], name="one_problem_per_unit_topic")
        ]
        verbose_name = _("delivery problem")
        verbose_name_plural = _("delivery problems")

    def __str__(self) -> str:
        return f"{self.unit}: {self.topic} ({self.problem})"


class UploadedFile(models.Model):
    """What every uploaded file keeps: its name as sent, a note, who sent it and when."""

    filename = models.CharField(_("file name"), max_length=255)
    note = models.CharField(_("note"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        abstract = True
