"""Directives to units, their action items, one assignment per (unit, item) and evidence.

A directive is written at the city (its `unit` is the issuing unit, normally the root).
Issuing it (see `issuing.py`) creates the assignments; each unit then answers its own.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from citysoc.core.models import Unit, UploadedFile
from citysoc.core.tenancy import UnitOwnedQuerySet, scope_for


class DirectiveQuerySet(UnitOwnedQuerySet):
    def visible_to(self, user):
        """The directives a user's units wrote, plus the issued ones sent to them."""
        scope = scope_for(user)
        if scope.everything:
            return self
        received = Assignment.objects.visible_to(user).values("directive_id")
        own = super().visible_to(user)
        return self.filter(Q(pk__in=own.values("pk")) | Q(pk__in=received)).distinct()


class Directive(models.Model):
    """An official letter, plan or directive from the city to its units (Decree 30/2020)."""

    class Type(models.TextChoices):
        CONG_VAN = "cong_van", _("Official letter (công văn)")
        KE_HOACH = "ke_hoach", _("Plan (kế hoạch)")
        CHI_THI = "chi_thi", _("Directive (chỉ thị)")
        CONG_DIEN = "cong_dien", _("Urgent dispatch (công điện)")
        THONG_BAO = "thong_bao", _("Notice (thông báo)")
        QUYET_DINH = "quyet_dinh", _("Decision (quyết định)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")

    class SigningForm(models.TextChoices):
        # Decree 30/2020 Art. 13: signing on behalf of a collective (TM.), as a deputy (KT.),
        # by order (TL.) or by authorisation (TUQ.).
        DIRECT = "", _("Signed by the head")
        TM = "tm", _("TM. (on behalf of the collective)")
        KT = "kt", _("KT. (deputy signing for the head)")
        TM_KT = "tm_kt", _("TM. + KT. (deputy, on behalf of the collective)")
        TL = "tl", _("TL. (by order)")
        TUQ = "tuq", _("TUQ. (by authorisation)")

    unit = models.ForeignKey(
        Unit, verbose_name=_("issuing unit"), on_delete=models.PROTECT, related_name="+"
    )
    doc_type = models.CharField(
        _("document type"), max_length=20, choices=Type.choices, default=Type.CONG_VAN
    )
    number = models.CharField(_("number"), max_length=20, blank=True)
    symbol = models.CharField(_("symbol"), max_length=60, blank=True, help_text=_("E.g. UBND-VHTT"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    issuing_body = models.TextField(
        _("issuing body"),
        blank=True,
        help_text=_("One line per level, e.g. the parent body first."),
    )
    subject = models.CharField(_("subject (V/v …)"), max_length=300)
    legal_bases = models.TextField(_("legal bases"), blank=True, help_text=_("One per line."))
    body = models.TextField(_("body (Markdown)"), blank=True)
    signing_form = models.CharField(
        _("signing form"), max_length=10, choices=SigningForm.choices, blank=True
    )
    signing_body = models.CharField(
        _("signing on behalf of"), max_length=120, blank=True, help_text=_("E.g. ỦY BAN NHÂN DÂN")
    )
    head_title = models.CharField(
        _("title of the head"), max_length=120, blank=True, help_text=_("E.g. CHỦ TỊCH")
    )
    signer_title = models.CharField(_("signer's title"), max_length=120, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=120, blank=True)
    recipient_kinds = models.JSONField(
        _("recipient unit kinds"),
        default=list,
        blank=True,
        help_text=_("Every unit of these kinds."),
    )
    recipient_units = models.ManyToManyField(
        Unit, verbose_name=_("recipient units"), blank=True, related_name="directives_received"
    )
    addressees = models.TextField(_("to (Kính gửi)"), blank=True, help_text=_("One per line."))
    copies_to = models.TextField(
        _("copies to (Nơi nhận)"), blank=True, help_text=_("One per line.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    template = models.CharField(_("made from template"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = DirectiveQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("directive")
        verbose_name_plural = _("directives")

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}".strip()

    @property
    def reference(self) -> str:
        """'Số: 12/UBND-VHTT' without the 'Số:' — the number may be empty until it is signed."""
        if not (self.number or self.symbol):
            return ""
        return f"{self.number}/{self.symbol}" if self.symbol else self.number

    @property
    def report_by(self):
        """The day units must report back by: the last due date of its items (None if none)."""
        return self.items.aggregate(last=models.Max("due_date"))["last"]

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED

    def signature_lines(self) -> list[str]:
        """The lines above the signer's name, e.g. TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / …"""
        form, body, head = self.signing_form, self.signing_body, self.head_title
        lines = {
            "tm": [f"TM. {body}", head],
            "kt": [f"KT. {head}"],
            "tm_kt": [f"TM. {body}", f"KT. {head}"],
            "tl": [f"TL. {head}"],
            "tuq": [f"TUQ. {head}"],
        }.get(form, [])
        lines.append(self.signer_title)
        return [line.strip() for line in lines if line and line.strip()]


class Attachment(UploadedFile):
    """A file sent with the directive (a plan, a list of botnet IPs, a form to fill in)."""

    directive = models.ForeignKey(
        Directive, verbose_name=_("directive"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="directives/attachments/%Y/%m/")

    class Meta:
        ordering = ["directive", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename

    @property
    def unit_id(self) -> int:
        # Audit entries of an attachment belong to the issuing unit.
        return self.directive.unit_id


class ActionItem(models.Model):
    """One thing a directive asks units to do, for some or all kinds of unit."""

    # Not a column: the item's column heading, set for display by progress.build_matrix().
    short_title: str

    class Area(models.TextChoices):
        NONE = "", _("None")
        INVENTORY = "inventory", _("Inventory review")
        DUTY = "duty", _("Duty roster")
        BOTNET = "botnet", _("Botnet clean-up")
        VULNS = "vulns", _("Vulnerabilities")
        AWARENESS = "awareness", _("Awareness")
        INCIDENTS = "incidents", _("Incidents")
        MALWARE = "malware", _("Malware sweep")

    directive = models.ForeignKey(
        Directive, verbose_name=_("directive"), on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    section = models.CharField(
        _("section heading"), max_length=300, blank=True, help_text=_("Items group under it.")
    )
    text = models.TextField(_("text"))
    applies_to_kinds = models.JSONField(
        _("applies to unit kinds"), default=list, blank=True, help_text=_("Empty: every recipient.")
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    evidence_required = models.BooleanField(_("evidence required"), default=False)
    area = models.CharField(_("related area"), max_length=20, choices=Area.choices, blank=True)

    class Meta:
        ordering = ["directive", "order", "id"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        constraints = [
            models.UniqueConstraint(fields=["directive", "order"], name="actionitem_order_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.text[:80]}"

    @property
    def unit(self) -> Unit:
        # Audit entries of an item belong to the issuing unit.
        return self.directive.unit

    @property
    def unit_id(self) -> int:
        return self.directive.unit_id

    def applies_to(self, unit: Unit) -> bool:
        return not self.applies_to_kinds or unit.kind in self.applies_to_kinds


class Assignment(models.Model):
    """One action item of one directive for one unit, with that unit's answer."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    CLOSED = (Status.DONE, Status.NOT_APPLICABLE)

    directive = models.ForeignKey(
        Directive, verbose_name=_("directive"), on_delete=models.CASCADE, related_name="assignments"
    )
    item = models.ForeignKey(
        ActionItem,
        verbose_name=_("action item"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="assignments"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    reason = models.TextField(_("reason it does not apply"), blank=True)
    report = models.TextField(_("report"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # The day the unit was last e-mailed about this assignment, so that a second run of
    # the reminder on the same day (a restart, a manual run) sends nothing again.
    last_reminded_on = models.DateField(_("last reminded"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["directive", "unit__path", "item__order"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["item", "unit"], name="assignment_one_per_item_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.item}"

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED

    def is_overdue(self, today) -> bool:
        due = self.item.due_date
        return due is not None and due < today and not self.is_closed


class Evidence(UploadedFile):
    """A file a unit attached to its answer (a screenshot, a report, a signed minute)."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="evidence"
    )
    # The assignment's unit, copied so that tenancy filters evidence like every other row.
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    file = models.FileField(_("file"), upload_to="directives/evidence/%Y/%m/")

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["assignment", "uploaded_at", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.filename
