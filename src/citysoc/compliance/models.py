"""Framework libraries (requirements per security level, as versioned data), assessments of
information systems against them, and the level-determination proposals.

A *library* is loaded from a YAML file in `libraries/` (or an office's own file): it belongs
to a security regime, has validity dates, and carries its requirements (stable URNs, a
ref id like "7.2.3.1", the levels each applies to), the regime's level criteria and its
recurring duties. An *assessment* checks one system against one library at the system's
level: one item per applicable requirement, each met / partly / not met / not applicable,
with evidence, a note and — for a gap — an owner and a due date.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from citysoc.compliance.answers import AnswerStatus
from citysoc.core.models import Unit, UploadedFile
from citysoc.core.tenancy import UnitOwnedQuerySet

if TYPE_CHECKING:
    from django.forms import Form

    from citysoc.compliance.tally import Tally


class Library(models.Model):
    """One framework version, e.g. "NĐ 85/2016 + TT 12/2022 + TCVN 11930:2017", as loaded."""

    urn = models.CharField(_("URN"), max_length=200, unique=True)
    ref_id = models.CharField(_("short name"), max_length=60)
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    regime = models.ForeignKey(
        "inventory.SecurityRegime",
        verbose_name=_("security regime"),
        on_delete=models.PROTECT,
        related_name="libraries",
    )
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    # The edition of the standard whose clause numbers the library uses (e.g. TCVN 14423:2025
    # and :2026 number the same clauses differently).
    edition = models.CharField(_("standard edition"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supersedes",
    )
    # Level criteria of the regime, as rules the level helper evaluates (see levels.py).
    level_criteria = models.JSONField(_("level criteria"), default=list, blank=True)
    # The level-determination procedure: {"source", "forms": [...], "limits": [...]}.
    procedure = models.JSONField(_("level procedure"), default=dict, blank=True)
    source_file = models.CharField(_("loaded from"), max_length=300, blank=True)
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    loaded_at = models.DateTimeField(_("loaded"), auto_now=True)

    class Meta:
        ordering = ["valid_from", "ref_id"]
        verbose_name = _("framework library")
        verbose_name_plural = _("framework libraries")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name

    def in_force_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class Requirement(models.Model):
    """One node of a library: a group (not assessable) or a requirement to assess."""

    class Kind(models.TextChoices):
        MANAGEMENT = "management", _("Management")
        TECHNICAL = "technical", _("Technical")
        NONE = "", _("—")

    class Importance(models.TextChoices):
        MANDATORY = "mandatory", _("Mandatory")
        RECOMMENDED = "recommended", _("Recommended")

    library = models.ForeignKey(
        Library, verbose_name=_("library"), on_delete=models.CASCADE, related_name="requirements"
    )
    urn = models.CharField(_("URN"), max_length=250, unique=True)
    ref_id = models.CharField(_("reference"), max_length=40)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    depth = models.PositiveSmallIntegerField(_("depth"), default=1)
    assessable = models.BooleanField(_("assessable"), default=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, blank=True)
    title = models.CharField(_("title"), max_length=500)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    # citysoc's explanatory wording under an official title: not from the legal text.
    guidance = models.TextField(_("guidance"), blank=True)
    guidance_en = models.TextField(_("guidance (English)"), blank=True)
    guidance_confirmed = models.BooleanField(_("guidance checked against the text"), default=False)
    # URNs of earlier rows whose assessment answers moved to this row (see remap.py).
    replaces = models.JSONField(_("replaces"), default=list, blank=True)
    # Unit kinds this row binds (e.g. a rule for enterprises providing network services);
    # empty: every unit.
    unit_kinds = models.JSONField(_("only for unit kinds"), default=list, blank=True)
    levels = models.JSONField(_("security levels"), default=list)
    importance = models.CharField(
        _("importance"), max_length=12, choices=Importance.choices, default=Importance.MANDATORY
    )
    typical_evidence = models.TextField(_("typical evidence"), blank=True)
    # Quantitative thresholds per level, e.g. {"log_retention_months": {"3": 3, "4": 6}}.
    thresholds = models.JSONField(_("thresholds"), default=dict, blank=True)
    official = models.BooleanField(
        _("from an official text"),
        default=True,
        help_text=_("False when the item paraphrases a secondary source, not the legal text."),
    )
    source = models.CharField(_("source"), max_length=500, blank=True)

    class Meta:
        ordering = ["library", "order"]
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")

    def __str__(self) -> str:
        return f"{self.ref_id} {self.display_title}"

    @property
    def display_title(self) -> str:
        return self.title_en if get_language() == "en" and self.title_en else self.title

    @property
    def display_description(self) -> str:
        if get_language() == "en" and self.description_en:
            return self.description_en
        return self.description

    @property
    def display_guidance(self) -> str:
        if get_language() == "en" and self.guidance_en:
            return self.guidance_en
        return self.guidance

    def applies_to(self, level: int | None) -> bool:
        return level is not None and level in self.levels


class Duty(models.Model):
    """A recurring duty of the regulation (reassessment, annual report…), run by the scheduler."""

    # Not a column: (from, to) for display, set by the library page.
    valid_span: tuple

    library = models.ForeignKey(
        Library, verbose_name=_("library"), on_delete=models.CASCADE, related_name="duties"
    )
    urn = models.CharField(_("URN"), max_length=250, unique=True)
    code = models.SlugField(_("code"), max_length=60)
    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    levels = models.JSONField(_("security levels"), default=list)
    every_months = models.PositiveIntegerField(
        _("every (months)"), null=True, blank=True, help_text=_("For repeated duties.")
    )
    # For yearly deadlines: month and day ("11-30" = before 30 November).
    deadline = models.CharField(_("yearly deadline (MM-DD)"), max_length=5, blank=True)
    remind_days_before = models.PositiveIntegerField(_("remind days before"), default=14)
    # A duty may start or end inside its library's validity (a repealed article, a decree in
    # force later than the law it details): outside these dates it is not reminded.
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    # Clocks started by an event (an incident): [{"event", "within_hours"|"within_days"|"by",
    # "form", "to", "source"}]. Data for the incident pages; not reminded by the scheduler.
    clocks = models.JSONField(_("clocks"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)
    official = models.BooleanField(_("from an official text"), default=True)
    source = models.CharField(_("source"), max_length=500, blank=True)

    class Meta:
        ordering = ["library", "code"]
        verbose_name = _("recurring duty")
        verbose_name_plural = _("recurring duties")

    def __str__(self) -> str:
        return self.title


class Assessment(models.Model):
    """One system checked against one library at one level, by the unit or the city."""

    # Not columns: the answer counts annotated by assessing.with_tallies(), or their Tally.
    tally: Tally
    n_total: int
    n_met: int
    n_partly: int
    n_not_met: int
    n_not_applicable: int

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="assessments"
    )
    system = models.ForeignKey(
        "inventory.InformationSystem",
        verbose_name=_("information system"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    library = models.ForeignKey(
        Library, verbose_name=_("library"), on_delete=models.PROTECT, related_name="assessments"
    )
    level = models.PositiveSmallIntegerField(_("security level assessed"))
    # The library is updated in place by URN; the version says which text was assessed.
    library_version = models.PositiveIntegerField(_("library version"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_on = models.DateField(_("started"), default=timezone.localdate)
    completed_on = models.DateField(_("completed"), null=True, blank=True)
    # What a library change did to this assessment's items (moved, merged, not mapped).
    library_changes = models.TextField(_("library changes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"{self.system} — {self.library.ref_id} ({self.started_on:%d/%m/%Y})"


class AssessmentItem(models.Model):
    """The answer for one requirement in one assessment."""

    # Not columns: set for display by assessing.sections() and the assessment pages.
    heading: Requirement | None
    thresholds: dict[str, object]
    form: Form  # an AnswerForm

    Status = AnswerStatus

    GAPS = (Status.PARTLY, Status.NOT_MET)

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="items"
    )
    requirement = models.ForeignKey(
        Requirement, verbose_name=_("requirement"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NOT_ASSESSED
    )
    reason = models.TextField(_("reason it does not apply"), blank=True)
    note = models.TextField(_("note"), blank=True)
    evidence_link = models.URLField(_("evidence link"), max_length=500, blank=True)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assessed_on = models.DateField(_("assessed"), null=True, blank=True)
    gap_owner = models.CharField(_("who fixes the gap"), max_length=200, blank=True)
    gap_due = models.DateField(_("gap due"), null=True, blank=True)

    class Meta:
        ordering = ["assessment", "requirement__order"]
        verbose_name = _("assessment item")
        verbose_name_plural = _("assessment items")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "requirement"], name="assessment_item_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requirement.ref_id}: {self.get_status_display()}"

    @property
    def unit_id(self) -> int:
        return self.assessment.unit_id

    @property
    def is_gap(self) -> bool:
        return self.status in self.GAPS


class ItemEvidence(UploadedFile):
    """A file attached to an assessment item (a policy, a screenshot, a scan report)."""

    item = models.ForeignKey(
        AssessmentItem, verbose_name=_("item"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to="compliance/evidence/%Y/%m/")

    class Meta:
        ordering = ["item", "id"]
        verbose_name = _("assessment evidence")
        verbose_name_plural = _("assessment evidence")

    def __str__(self) -> str:
        return self.filename

    @property
    def unit_id(self) -> int:
        return self.item.assessment.unit_id


class LevelProposal(models.Model):
    """The level helper's answer for one system: criteria answers in, level per regime out."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="level_proposals"
    )
    system = models.ForeignKey(
        "inventory.InformationSystem",
        verbose_name=_("information system"),
        on_delete=models.CASCADE,
        related_name="level_proposals",
    )
    answers = models.JSONField(_("answers"), default=dict)
    # {regime code: {"level": n, "reasons": [...], "library": urn}}
    proposals = models.JSONField(_("proposed levels"), default=dict)
    confirmed_regime = models.ForeignKey(
        "inventory.SecurityRegime",
        verbose_name=_("confirmed under"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_level = models.PositiveSmallIntegerField(_("confirmed level"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("level proposal")
        verbose_name_plural = _("level proposals")

    def __str__(self) -> str:
        return f"{self.system} ({self.created_at:%d/%m/%Y})"


class DutyReminder(models.Model):
    """That a duty's reminder went to a unit for one due date (so it is sent once)."""

    duty = models.ForeignKey(Duty, on_delete=models.CASCADE, related_name="reminders")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    system = models.ForeignKey(
        "inventory.InformationSystem", null=True, blank=True, on_delete=models.CASCADE
    )
    due_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["duty", "unit", "system", "due_on"], name="duty_reminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.duty} → {self.unit} ({self.due_on:%d/%m/%Y})"
