"""Awareness: courses with quizzes, programmes that assign them, phishing drills, scam lists.

Courses and drill templates are the city's content, shared by every unit (like a framework
library); programmes, enrolments, drills and their targets belong to a unit.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from citysoc.core.models import Person, Unit, UploadedFile
from citysoc.core.tenancy import UnitOwnedQuerySet


class Course(models.Model):
    """A course: Markdown lessons and a quiz drawn from its question pools."""

    slug = models.SlugField(
        _("identifier"),
        max_length=80,
        unique=True,
        help_text=_("Stays the same when the course is updated, so enrolments keep it."),
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"), default=80)
    questions_per_attempt = models.PositiveSmallIntegerField(
        _("questions per attempt"), default=0, help_text=_("0: every question.")
    )
    shuffle = models.BooleanField(_("random order"), default=True)
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=3, help_text=_("0: no limit.")
    )
    is_remedial = models.BooleanField(
        _("short course after a drill"),
        default=False,
        help_text=_("Assigned automatically to a person who clicks a drill link."),
    )
    origin = models.CharField(_("origin"), max_length=20, default="local")
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.title


class Lesson(models.Model):
    """One page of a course, written in Markdown (raw HTML is not rendered)."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="lessons"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("content (Markdown)"))

    class Meta:
        ordering = ["course", "order"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def __str__(self) -> str:
        return self.title


class CourseFile(UploadedFile):
    """An image or attachment of a course; lessons show an image written `![text](name)`."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("file"), upload_to="awareness/courses/%Y/")

    class Meta:
        ordering = ["course", "filename"]
        verbose_name = _("course file")
        verbose_name_plural = _("course files")

    def __str__(self) -> str:
        return self.filename

    @property
    def is_image(self) -> bool:
        return self.filename.lower().rsplit(".", 1)[-1] in {"png", "jpg", "jpeg", "gif", "webp"}


class Question(models.Model):
    """A quiz question of a course, in a pool; an attempt draws from every pool in turn."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("One answer")
        MULTIPLE = "multiple", _("Several answers")

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="questions"
    )
    pool = models.CharField(_("pool"), max_length=60, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    text = models.TextField(_("question"))
    explanation = models.TextField(_("explanation"), blank=True)

    class Meta:
        ordering = ["course", "order"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text[:80]


class Choice(models.Model):
    """One answer offered for a question."""

    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    text = models.CharField(_("answer"), max_length=500)
    is_correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        ordering = ["question", "order"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return self.text


class Programme(models.Model):
    """Courses a unit assigns to an audience, due some days after the start, maybe yearly."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="programmes"
    )
    name = models.CharField(_("name"), max_length=200)
    courses = models.ManyToManyField(Course, verbose_name=_("courses"), related_name="programmes")
    audience_units = models.ManyToManyField(
        Unit,
        verbose_name=_("audience: units"),
        blank=True,
        related_name="+",
        help_text=_("Everyone active in these units and the units under them."),
    )
    audience_roles = models.JSONField(
        _("audience: roles"), default=list, blank=True, help_text=_("Empty: every role.")
    )
    audience_people = models.ManyToManyField(
        Person, verbose_name=_("audience: people"), blank=True, related_name="+"
    )
    starts_on = models.DateField(_("starts on"))
    due_days = models.PositiveSmallIntegerField(_("days to complete"), default=30)
    recurrence_days = models.PositiveSmallIntegerField(
        _("repeat every (days)"), default=0, help_text=_("0: once.")
    )
    remind_days_before = models.PositiveSmallIntegerField(_("remind days before due"), default=7)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name


class Enrolment(models.Model):
    """A person's duty to complete a course: from a programme round, a drill click, or self."""

    class Reason(models.TextChoices):
        PROGRAMME = "programme", _("Programme")
        DRILL = "drill", _("Phishing drill")
        SELF = "self", _("Own choice")

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("Not completed")
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed (no attempts left)")

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="enrolments"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="enrolments"
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    target = models.ForeignKey(
        "Target",
        verbose_name=_("drill e-mail"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enrolments",
    )
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ASSIGNED
    )
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    best_score = models.PositiveSmallIntegerField(_("best score (%)"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    reminded_on = models.DateField(_("last reminded"), null=True, blank=True)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "person__full_name", "-assigned_at"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            # Loading the audience twice must not assign a course twice in one round.
            models.UniqueConstraint(
                fields=["programme", "person", "course", "round"],
                name="enrolment_once_per_programme_round",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.course}"


class Attempt(models.Model):
    """One go at a course's quiz: the questions drawn, in their order, and the result."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE)
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="tries"
    )
    question_ids = models.JSONField(_("questions"), default=list)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    score = models.PositiveSmallIntegerField(_("score (%)"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), default=False)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")

    def __str__(self) -> str:
        return f"{self.enrolment} {self.score}%"


class DrillTemplate(models.Model):
    """A phishing e-mail and its landing page, shared by the city; placeholders
    `{{name}}`, `{{link}}` are filled per recipient."""

    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    sender_name = models.CharField(_("sender name"), max_length=120)
    sender_address = models.EmailField(_("sender address"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("e-mail text"))
    landing_title = models.CharField(_("landing page title"), max_length=200)
    landing_text = models.TextField(_("landing page text"), blank=True)
    landing_fields = models.JSONField(
        _("landing page fields"), default=list, blank=True, help_text=_("Names only.")
    )
    signs = models.TextField(_("signs a reader could have noticed"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("drill template")
        verbose_name_plural = _("drill templates")

    def __str__(self) -> str:
        return self.name


class Drill(models.Model):
    """A phishing drill (campaign) a unit runs on people of its units."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")
        FINISHED = "finished", _("Finished")

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="drills"
    )
    name = models.CharField(_("name"), max_length=200)
    template = models.ForeignKey(
        DrillTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="drills"
    )
    course = models.ForeignKey(
        Course,
        verbose_name=_("course for those who click"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("phishing drill")
        verbose_name_plural = _("phishing drills")

    def __str__(self) -> str:
        return self.name


class Target(models.Model):
    """One recipient of a drill (GoPhish's Result): the furthest thing they did, and whether
    they reported the e-mail. `rid` is in every link of their e-mail."""

    class Status(models.TextChoices):
        # In GoPhish's order: a later one is never replaced by an earlier one.
        SCHEDULED = "scheduled", _("Scheduled")
        ERROR = "error", _("Error sending")
        SENT = "sent", _("E-mail sent")
        OPENED = "opened", _("E-mail opened")
        CLICKED = "clicked", _("Clicked link")
        SUBMITTED = "submitted", _("Submitted data")

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="drill_targets"
    )
    drill = models.ForeignKey(
        Drill, verbose_name=_("drill"), on_delete=models.CASCADE, related_name="targets"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="drill_targets"
    )
    email = models.EmailField(_("e-mail"))
    rid = models.CharField(_("tracking id"), max_length=32, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    reported = models.BooleanField(_("reported"), default=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    clicked_at = models.DateTimeField(_("clicked"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["drill", "unit__path", "person__full_name"]
        verbose_name = _("drill recipient")
        verbose_name_plural = _("drill recipients")
        constraints = [
            models.UniqueConstraint(fields=["drill", "person"], name="target_once_per_drill"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_status_display()})"


class DrillEvent(models.Model):
    """Something a drill recipient did, kept as it came (append only)."""

    class Kind(models.TextChoices):
        SENT = "sent", _("E-mail sent")
        ERROR = "error", _("Error sending")
        OPENED = "opened", _("E-mail opened")
        CLICKED = "clicked", _("Clicked link")
        SUBMITTED = "submitted", _("Submitted data")
        REPORTED = "reported", _("Reported")
        ENROLLED = "enrolled", _("Enrolled in a course")
        PASSED = "passed", _("Passed the course")

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE)
    target = models.ForeignKey(
        Target, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("event"), max_length=10, choices=Kind.choices)
    at = models.DateTimeField(_("time"), auto_now_add=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("drill event")
        verbose_name_plural = _("drill events")

    def __str__(self) -> str:
        return f"{self.target_id} {self.kind}"


class ScamEntry(models.Model):
    """A known scam domain, URL, phone number or phrase, from an imported list."""

    class Kind(models.TextChoices):
        DOMAIN = "domain", _("Domain")
        URL = "url", _("Web address")
        PHONE = "phone", _("Phone number")
        PHRASE = "phrase", _("Phrase")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    value = models.CharField(_("value"), max_length=500)
    list_name = models.CharField(_("list"), max_length=120)
    note = models.CharField(_("note"), max_length=300, blank=True)
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "value"]
        verbose_name = _("scam list entry")
        verbose_name_plural = _("scam list entries")
        constraints = [
            models.UniqueConstraint(
                fields=["list_name", "kind", "value"], name="scamentry_once_per_list"
            ),
        ]
        indexes = [models.Index(fields=["kind", "value"], name="scamentry_lookup_idx")]

    def __str__(self) -> str:
        return self.value


class ScamCheckCount(models.Model):
    """How often something was checked on a day, and the verdict: never who asked."""

    day = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=10)
    value = models.CharField(_("checked"), max_length=300)
    verdict = models.CharField(_("verdict"), max_length=12)
    public = models.BooleanField(_("from the public page"), default=False)
    count = models.PositiveIntegerField(_("checks"), default=0)

    class Meta:
        ordering = ["-day", "-count"]
        verbose_name = _("scam check count")
        verbose_name_plural = _("scam check counts")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "kind", "value", "public"], name="scamcheckcount_one_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.value} ×{self.count}"
