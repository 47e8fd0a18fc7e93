"""Indicator lists (sources and their versions), sightings on units, clean-up tasks, logs.

The flow: a *source* (the authorities' monthly botnet list, a public feed) delivers *list
versions*; each version's indicators are matched against every unit's registered addresses
(and against logs the units upload); every listed address found in a unit is a *sighting*;
sightings open one *clean-up task* per (unit, address), which the unit works and which the
next list version verifies or reopens.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from citysoc.core.models import Unit, UploadedFile
from citysoc.core.tenancy import UnitOwnedQuerySet, scope_for


class IndicatorSource(models.Model):
    """Where lists come from: uploaded by hand, or a URL pulled on a schedule."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    format = models.CharField(_("format"), max_length=40, default="auto")
    url = models.CharField(
        _("feed URL"),
        max_length=500,
        blank=True,
        help_text=_("http(s):// or file:// — leave empty for lists that are uploaded by hand."),
    )
    every_hours = models.PositiveIntegerField(
        _("pull every (hours)"), default=24, help_text=_("For feeds: how often to pull the URL.")
    )
    expected_every_days = models.PositiveIntegerField(
        _("expected a new version every (days)"),
        default=31,
        help_text=_("The source is flagged as late after twice this interval without news."),
    )
    opens_tasks = models.BooleanField(
        _("sightings open clean-up tasks"),
        default=True,
        help_text=_("Untick for reference lists (e.g. hijacked networks) that need no clean-up."),
    )
    column_mapping = models.JSONField(
        _("column mapping"),
        default=dict,
        blank=True,
        help_text=_("Remembered spreadsheet columns for this source: field → header text."),
    )
    active = models.BooleanField(_("active"), default=True)
    # Feed state, kept between pulls.
    etag = models.CharField(max_length=200, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)
    last_new_at = models.DateTimeField(_("last new version"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("indicator source")
        verbose_name_plural = _("indicator sources")

    def __str__(self) -> str:
        return self.name

    @property
    def is_feed(self) -> bool:
        return bool(self.url)


class ListVersion(models.Model):
    """One import of one list: the file as received, its counts and what matching found."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    source = models.ForeignKey(
        IndicatorSource,
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        related_name="versions",
    )
    period = models.CharField(
        _("period"), max_length=40, blank=True, help_text=_("e.g. 2024-01 for the January list")
    )
    received_on = models.DateField(_("received"), default=timezone.localdate)
    file = models.FileField(_("file"), upload_to="intel/lists/%Y/%m/")
    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    format = models.CharField(_("format"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    rows = models.PositiveIntegerField(_("rows"), default=0)
    indicator_count = models.PositiveIntegerField(_("indicators"), default=0)
    rejected_count = models.PositiveIntegerField(_("rejected"), default=0)
    skipped = models.PositiveIntegerField(_("comment and blank lines"), default=0)
    rejected = models.JSONField(_("rejected rows"), default=list, blank=True)
    meta = models.JSONField(_("list metadata"), default=dict, blank=True)
    sightings_count = models.PositiveIntegerField(_("sightings"), default=0)
    tasks_opened = models.PositiveIntegerField(_("tasks opened"), default=0)
    message = models.TextField(_("message"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("list version")
        verbose_name_plural = _("list versions")
        constraints = [
            # The same file twice from the same source is the same version: no duplicates.
            models.UniqueConstraint(fields=["source", "sha256"], name="list_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.source.name} {self.label}"

    @property
    def label(self) -> str:
        return self.period or self.received_on.strftime("%d/%m/%Y")

    @property
    def format_label(self) -> str:
        """The format's name in the reader's language (its code when no reader has it)."""
        from citysoc.intel.formats import FORMATS

        reader = FORMATS.get(self.format)
        return gettext(reader.LABEL) if reader else self.format

    def previous(self) -> ListVersion | None:
        """The version of the same source imported just before this one."""
        return (
            ListVersion.objects.filter(
                source_id=self.source_id, status=self.Status.DONE, id__lt=self.id
            )
            .order_by("-id")
            .first()
        )


class Indicator(models.Model):
    """One accepted entry of a list version, with what the list says about it."""

    version = models.ForeignKey(
        ListVersion, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("list")
    )
    row = models.PositiveIntegerField(_("row"))
    value = models.CharField(_("indicator"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10)
    family = models.CharField(_("family"), max_length=100, blank=True)
    c2 = models.CharField(_("C2 address"), max_length=300, blank=True)
    c2_port = models.PositiveIntegerField(_("C2 port"), null=True, blank=True)
    port = models.PositiveIntegerField(_("port"), null=True, blank=True)
    is_c2 = models.BooleanField(_("is a C2 server"), default=False)
    first_seen = models.DateTimeField(_("first seen"), null=True, blank=True)
    last_seen = models.DateTimeField(_("last seen"), null=True, blank=True)
    asn = models.CharField(_("ASN"), max_length=40, blank=True)
    isp = models.CharField(_("ISP"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=40, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["version", "row"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        indexes = [models.Index(fields=["version", "value"], name="indicator_value_idx")]

    def __str__(self) -> str:
        return self.value


class LogUpload(models.Model):
    """A log file a unit (or the city) gave to be searched for contact with listed addresses."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Matching")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="log_uploads"
    )
    file = models.FileField(_("file"), upload_to="intel/logs/%Y/%m/", max_length=300)
    filename = models.CharField(_("file name"), max_length=255)
    format = models.CharField(_("format"), max_length=40, default="auto")
    size = models.BigIntegerField(_("size (bytes)"), default=0)
    origin = models.CharField(
        _("origin"), max_length=300, blank=True, help_text=_("Folder it was picked up from.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    bytes_done = models.BigIntegerField(_("bytes read"), default=0)
    records = models.BigIntegerField(_("records"), default=0)
    rejected_count = models.BigIntegerField(_("rejected"), default=0)
    rejected = models.JSONField(_("first rejected lines"), default=list, blank=True)
    matches = models.BigIntegerField(_("matching records"), default=0)
    hosts = models.PositiveIntegerField(_("internal hosts"), default=0)
    message = models.TextField(_("message"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("log upload")
        verbose_name_plural = _("log uploads")

    def __str__(self) -> str:
        return self.filename

    @property
    def percent(self) -> int:
        if not self.size:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, int(100 * self.bytes_done / self.size))


class LogScan(models.Model):
    """One list version matched against one log upload (the first match or a retro-hunt)."""

    log = models.ForeignKey(LogUpload, on_delete=models.CASCADE, related_name="scans")
    version = models.ForeignKey(ListVersion, on_delete=models.CASCADE, related_name="log_scans")
    matches = models.BigIntegerField(default=0)
    hosts = models.PositiveIntegerField(default=0)
    scanned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["log", "version"], name="log_scan_once")]

    def __str__(self) -> str:
        return f"{self.log} × {self.version}"


class LogFolder(models.Model):
    """A folder on the hub's disk where a unit's log shipper drops files; scanned on schedule."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="log_folders"
    )
    path = models.CharField(_("folder"), max_length=500)
    pattern = models.CharField(_("file pattern"), max_length=100, default="*")
    format = models.CharField(_("format"), max_length=40, default="auto")
    active = models.BooleanField(_("active"), default=True)
    seen = models.JSONField(default=dict, blank=True, editable=False)
    last_scan_at = models.DateTimeField(_("last scanned"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "path"]
        verbose_name = _("log folder")
        verbose_name_plural = _("log folders")
        constraints = [models.UniqueConstraint(fields=["unit", "path"], name="log_folder_once")]

    def __str__(self) -> str:
        return self.path


class Sighting(models.Model):
    """A listed address found in a unit: registered there (list) or seen in its logs (log)."""

    class Via(models.TextChoices):
        LIST = "list", _("Registered address on the list")
        LOG = "log", _("Seen in the unit's logs")

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="sightings"
    )
    host = models.ForeignKey(
        "inventory.Host",
        verbose_name=_("host"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sightings",
    )
    version = models.ForeignKey(
        ListVersion, verbose_name=_("list"), on_delete=models.CASCADE, related_name="sightings"
    )
    via = models.CharField(_("found by"), max_length=4, choices=Via.choices, default=Via.LIST)
    ip = models.CharField(_("address"), max_length=64, db_index=True)
    family = models.CharField(_("family"), max_length=100, blank=True)
    is_c2 = models.BooleanField(_("C2"), default=False)
    remote = models.CharField(_("listed address or domain"), max_length=300, blank=True)
    attributed = models.BooleanField(
        _("in the unit's own addresses"),
        default=True,
        help_text=_("False when the address is only inside the ISP's ranges."),
    )
    log = models.ForeignKey(
        LogUpload,
        verbose_name=_("log"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sightings",
    )
    first_seen = models.DateTimeField(_("first seen"), null=True, blank=True)
    last_seen = models.DateTimeField(_("last seen"), null=True, blank=True)
    count = models.PositiveIntegerField(_("count"), default=1)
    evidence = models.JSONField(_("evidence"), default=list, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "unit__path", "ip"]
        verbose_name = _("sighting")
        verbose_name_plural = _("sightings")
        indexes = [models.Index(fields=["unit", "ip"], name="sighting_unit_ip_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "unit", "ip"],
                condition=models.Q(via="list"),
                name="sighting_list_once",
            ),
            models.UniqueConstraint(
                fields=["version", "log", "unit", "ip", "remote"],
                condition=models.Q(via="log"),
                name="sighting_log_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ip} ({self.family or '-'})"


class CleanupTask(models.Model):
    """Remove the malware behind one listed address of one unit, and prove it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        CLEANED = "cleaned", _("Cleaned — awaiting verification")
        VERIFIED = "verified", _("Verified clean")
        REOPENED = "reopened", _("Reopened — seen again")

    OPEN_STATES = (Status.OPEN, Status.IN_PROGRESS, Status.REOPENED)

    class Priority(models.IntegerChoices):
        URGENT = 1, _("P1 — urgent")
        HIGH = 2, _("P2 — high")
        MEDIUM = 3, _("P3 — medium")
        LOW = 4, _("P4 — low")

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="cleanup_tasks"
    )
    host = models.ForeignKey(
        "inventory.Host",
        verbose_name=_("host"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cleanup_tasks",
    )
    ip = models.CharField(_("address"), max_length=64)
    family = models.CharField(_("family"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.MEDIUM
    )
    priority_reason = models.CharField(_("why this priority"), max_length=300, blank=True)
    due_date = models.DateField(_("due"))
    opened_by_version = models.ForeignKey(
        ListVersion,
        verbose_name=_("opened by list"),
        on_delete=models.PROTECT,
        related_name="tasks_opened_here",
    )
    last_seen_version = models.ForeignKey(
        ListVersion,
        verbose_name=_("last listed in"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    times_listed = models.PositiveIntegerField(_("times listed"), default=1)
    reopened_count = models.PositiveIntegerField(_("times reopened"), default=0)
    tool = models.CharField(_("tool used"), max_length=200, blank=True)
    findings = models.TextField(_("what was found and removed"), blank=True)
    cleaned_at = models.DateTimeField(_("cleaned"), null=True, blank=True)
    cleaned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cleaned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verified_by_version = models.ForeignKey(
        ListVersion,
        verbose_name=_("verified by list"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notified_at = models.DateTimeField(_("unit notified"), null=True, blank=True)
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["priority", "due_date", "unit__path", "ip"]
        verbose_name = _("clean-up task")
        verbose_name_plural = _("clean-up tasks")
        constraints = [
            models.UniqueConstraint(fields=["unit", "ip"], name="cleanup_task_one_per_address"),
        ]
        indexes = [models.Index(fields=["status", "due_date"], name="cleanup_status_due_idx")]

    def __str__(self) -> str:
        return f"{self.ip} — {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATES

    @property
    def overdue(self) -> bool:
        return self.is_open and self.due_date < timezone.localdate()


class CleanupEvidence(UploadedFile):
    """A file the unit attached to a clean-up task (scan report, screenshot)."""

    task = models.ForeignKey(CleanupTask, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to="intel/evidence/%Y/%m/")

    class Meta:
        ordering = ["task", "id"]
        verbose_name = _("clean-up evidence")
        verbose_name_plural = _("clean-up evidence")

    def __str__(self) -> str:
        return self.filename

    @property
    def unit_id(self) -> int:
        return self.task.unit_id


def sees_lists(user) -> bool:
    """Whole lists are city data (every unit's listed addresses): city roles only.

    Units see their own sightings and tasks, and the sensor exports of a list.
    """
    return scope_for(user).city_reader
