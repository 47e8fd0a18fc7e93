"""Information systems with their security level, hosts, IP ranges and domains of a unit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from citysoc.core.models import Person, Unit
from citysoc.core.tenancy import UnitOwnedQuerySet
from citysoc.inventory import claim_reasons
from citysoc.lib import iprange


class SecurityRegime(models.Model):
    """A legal regime under which security levels are set (Decree 85/2016, Decree 331/2026).

    Kept as data with validity dates because the law changed in 2025-26 and will again.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    legal_basis = models.TextField(_("legal basis"), blank=True)
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

    class Meta:
        ordering = ["valid_from"]
        verbose_name = _("security regime")
        verbose_name_plural = _("security regimes")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def in_force(cls, on):
        return (
            cls.objects.filter(valid_from__lte=on)
            .filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=on))
            .order_by("-valid_from")
            .first()
        )


class InformationSystem(models.Model):
    """An information system (hệ thống thông tin) operated by a unit, with its level."""

    class Type(models.TextChoices):
        INTERNAL = "internal", _("Internal operations")
        CITIZEN = "citizen", _("Serving citizens and businesses")
        INFRASTRUCTURE = "infrastructure", _("Information infrastructure")
        INDUSTRIAL = "industrial", _("Industrial control")
        OTHER = "other", _("Other")

    class Subtype(models.TextChoices):
        EMAIL = "email", _("E-mail")
        DOCUMENT_MGMT = "document_mgmt", _("Document management and executive system")
        VIDEO_CONF = "video_conf", _("Video conferencing")
        MANAGEMENT = "management", _("Specialised / overall management system")
        INTERNAL_PROCESSING = "internal_processing", _("Internal processing")
        ONE_STOP = "one_stop", _("Electronic one-stop shop")
        PORTAL = "portal", _("Web portal / website")
        ONLINE_SERVICE = "online_service", _("Online (public) service")
        CUSTOMER_CARE = "customer_care", _("Customer care")
        NETWORK = "network", _("LAN / WAN / government data network")
        DATA_CENTRE = "data_centre", _("Database / data centre / cloud")
        E_AUTH = "e_auth", _("E-authentication / CA / digital signature")
        INTEGRATION = "integration", _("Integration bus")
        ICS = "ics", _("PLC / DCS / SCADA")
        OTHER = "other", _("Other")

    class InfoClass(models.TextChoices):
        PUBLIC = "public", _("Public information")
        PRIVATE = "private", _("Private information")
        PERSONAL = "personal", _("Personal information")
        STATE_SECRET = "state_secret", _("State secret")

    class Dossier(models.TextChoices):
        NONE = "none", _("No dossier")
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPRAISED = "appraised", _("Appraised")
        APPROVED = "approved", _("Approved")

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("operating unit"),
        on_delete=models.PROTECT,
        related_name="systems",
    )
    name = models.CharField(_("name"), max_length=200)
    owner_body = models.CharField(_("owner body (chủ quản)"), max_length=200, blank=True)
    system_type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    subtype = models.CharField(_("subtype"), max_length=30, choices=Subtype.choices, blank=True)
    info_classes = models.JSONField(_("information classes"), default=list, blank=True)
    user_count = models.PositiveIntegerField(_("number of users"), null=True, blank=True)
    security_level = models.PositiveSmallIntegerField(
        _("security level"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    regime = models.ForeignKey(
        SecurityRegime,
        verbose_name=_("level set under"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    dossier_status = models.CharField(
        _("level dossier"), max_length=20, choices=Dossier.choices, default=Dossier.NONE
    )
    decision_number = models.CharField(_("decision number"), max_length=80, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    approver = models.CharField(_("approved by"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "name"]
        verbose_name = _("information system")
        verbose_name_plural = _("information systems")
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="system_name_unique_per_unit"),
            models.CheckConstraint(
                condition=models.Q(security_level__isnull=True)
                | models.Q(security_level__gte=1, security_level__lte=5),
                name="system_level_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def level_approved(self) -> bool:
        return self.security_level is not None and self.dossier_status == self.Dossier.APPROVED

    def clean(self) -> None:
        bad = set(self.info_classes or []) - set(self.InfoClass.values)
        if bad:
            raise ValidationError({"info_classes": _("Unknown information class: %s") % bad})
        if self.dossier_status == self.Dossier.APPROVED and not (
            self.security_level and self.decision_number and self.decision_date
        ):
            raise ValidationError(
                _("An approved level needs the level, the decision number and its date.")
            )


class ClaimState(models.TextChoices):
    """Whether a unit's registered address (host or range) is used to attribute sightings.

    A unit's own entry is approved at once when it stays out of other units' space and is
    not wider than the city's limit; otherwise it waits for a city role (see `claims`).
    """

    APPROVED = "approved", _("Approved")
    PENDING = "pending", _("Pending approval")
    REJECTED = "rejected", _("Rejected")


class ClaimQuerySet(UnitOwnedQuerySet):
    """Hosts and ranges: `approved()` is the one definition of "counts as the unit's own"
    used by attribution, the owner lookup and the overlap report."""

    def approved(self):
        return self.filter(claim_state=ClaimState.APPROVED)

    def pending(self):
        return self.filter(claim_state=ClaimState.PENDING)


def _claim_fields() -> tuple[models.Field, models.Field, models.Field]:
    # New rows default to approved: trusted writers (demo data, the server's CLI) need no
    # check; every path a unit's user can reach sets the state through `claims.settle`.
    state = models.CharField(
        _("approval"),
        max_length=10,
        choices=ClaimState.choices,
        default=ClaimState.APPROVED,
        db_index=True,
    )
    # Codes ("overlap", "too_wide"): why it waits. Never names the other unit, so the
    # claiming unit may read them.
    reasons = models.JSONField(_("why it waits"), default=list, blank=True)
    note = models.CharField(_("city's note"), max_length=300, blank=True)
    return state, reasons, note


class ClaimMixin:
    """What pages show about an entry's approval."""

    # The fields `_claim_fields` adds to the models that use this mixin.
    claim_state: str
    claim_reasons: list[str]

    @property
    def claim_pending(self) -> bool:
        return self.claim_state == ClaimState.PENDING

    @property
    def claim_why(self) -> list[str]:
        return claim_reasons.reason_texts(self)


class Host(ClaimMixin, models.Model):
    """A server, workstation or network device of a unit."""

    class Kind(models.TextChoices):
        SERVER = "server", _("Server")
        WORKSTATION = "workstation", _("Workstation")
        NETWORK = "network", _("Network device")
        OTHER = "other", _("Other")

    class Criticality(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")
        CRITICAL = "critical", pgettext_lazy("criticality", "Critical")

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="hosts"
    )
    hostname = models.CharField(_("hostname"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.WORKSTATION
    )
    os = models.CharField(_("operating system"), max_length=120, blank=True)
    ipv4 = models.GenericIPAddressField(_("IPv4 address"), protocol="IPv4", null=True, blank=True)
    ipv6 = models.GenericIPAddressField(_("IPv6 address"), protocol="IPv6", null=True, blank=True)
    mac = models.CharField(_("MAC address"), max_length=17, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    owner = models.ForeignKey(
        Person,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosts",
    )
    criticality = models.CharField(
        _("criticality"), max_length=10, choices=Criticality.choices, default=Criticality.MEDIUM
    )
    systems = models.ManyToManyField(
        InformationSystem, verbose_name=_("serves systems"), blank=True, related_name="hosts"
    )
    claim_state, claim_reasons, claim_note = _claim_fields()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "hostname"]
        verbose_name = _("host")
        verbose_name_plural = _("hosts")
        indexes = [
            models.Index(fields=["ipv4"], name="host_ipv4_idx"),
            models.Index(fields=["ipv6"], name="host_ipv6_idx"),
            # City-wide "sort by hostname" over 100,000 hosts.
            models.Index(fields=["hostname"], name="host_hostname_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["unit", "hostname"], name="host_name_unique_per_unit"),
        ]

    def __str__(self) -> str:
        return self.hostname


class IpRange(ClaimMixin, models.Model):
    """An address block of a unit: a CIDR (IPv4 or IPv6) or an a-b range."""

    class Scope(models.TextChoices):
        PUBLIC = "public", _("Public")
        INTERNAL = "internal", _("Internal")

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="ranges"
    )
    text = models.CharField(_("range"), max_length=100)
    version = models.PositiveSmallIntegerField(_("IP version"), editable=False)
    # Fixed-width hex of the first and last address: text order equals numeric order,
    # so containment and overlap are plain indexed comparisons on every database.
    first_key = models.CharField(max_length=32, editable=False)
    last_key = models.CharField(max_length=32, editable=False)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.PUBLIC)
    provider = models.ForeignKey(
        Unit,
        verbose_name=_("provider (ISP)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="provided_ranges",
        limit_choices_to={"kind": Unit.Kind.ISP},
    )
    nat_egress = models.BooleanField(_("NAT egress"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)
    claim_state, claim_reasons, claim_note = _claim_fields()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["version", "first_key"]
        verbose_name = _("IP range")
        verbose_name_plural = _("IP ranges")
        indexes = [models.Index(fields=["version", "first_key", "last_key"], name="range_keys_idx")]
        constraints = [
            models.UniqueConstraint(fields=["unit", "text"], name="range_unique_per_unit"),
        ]

    def __str__(self) -> str:
        return self.text

    def save(self, *args, **kwargs) -> None:
        if not self.first_key:
            self.set_range(self.text)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        try:
            self.set_range(self.text)
        except iprange.RangeError as exc:
            raise ValidationError({"text": str(exc)}) from exc

    def set_range(self, text: str) -> None:
        r = iprange.parse_range(text)
        self.text = iprange.format_range(r)
        self.version, self.first_key, self.last_key = r.version, r.first_key, r.last_key

    @property
    def size(self) -> int:
        return int(self.last_key, 16) - int(self.first_key, 16) + 1


class Domain(models.Model):
    """A domain name or website of a unit."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="domains"
    )
    name = models.CharField(_("domain"), max_length=253)
    url = models.URLField(_("website URL"), blank=True)
    system = models.ForeignKey(
        InformationSystem,
        verbose_name=_("information system"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="domains",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"], name="domain_name_idx")]
        verbose_name = _("domain")
        verbose_name_plural = _("domains")
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="domain_unique_per_unit"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        from citysoc.lib.domains import normalize_domain

        self.name = normalize_domain(self.name)
        super().save(*args, **kwargs)


class ImportJob(models.Model):
    """One uploaded spreadsheet: validated first, then written in one transaction."""

    class Kind(models.TextChoices):
        UNITS = "units", _("Units")
        PEOPLE = "people", _("People")
        SYSTEMS = "systems", _("Information systems")
        HOSTS = "hosts", _("Hosts")
        RANGES = "ranges", _("IP ranges")
        DOMAINS = "domains", _("Domains")
        ADDRESS_PLAN = "address_plan", _("Address plan")

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        VALIDATED = "validated", _("Checked")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="import_jobs",
    )
    user = models.ForeignKey(
        "auth.User", verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    filename = models.CharField(_("file name"), max_length=255)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.UPLOADED
    )
    valid_only = models.BooleanField(_("import the valid rows only"), default=False)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    rejected_count = models.PositiveIntegerField(_("rejected"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    rejected_file = models.FileField(_("rejected rows"), upload_to="imports/rejected/", blank=True)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.filename}"

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))
