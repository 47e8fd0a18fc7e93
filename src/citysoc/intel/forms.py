"""Forms of the botnet-list pages: list upload, sources, column mapping, task work, logs.

They check the *shape* of what was sent; the rules (what a task may become, which unit a
log belongs to) live in `cleanup`, `importing` and `logscan`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from citysoc.core import outbound, upload_limits
from citysoc.core.models import Unit
from citysoc.engine.readers import READERS
from citysoc.intel import formats
from citysoc.intel.models import CleanupTask, IndicatorSource, ListVersion, LogFolder, Sighting

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

# The columns a spreadsheet list may have (formats/botnet_sheet.py FIELDS), in form order.
MAPPED_FIELDS = [
    ("ip", _("IP address")),
    ("family", _("Botnet family")),
    ("first_seen", _("First seen")),
    ("c2", _("C2 address")),
    ("c2_port", _("C2 port")),
    ("port", _("Port")),
    ("isp", _("ISP")),
    ("asn", _("ASN")),
]


def _list_formats() -> list[tuple[str, str | _StrPromise]]:
    choices: list[tuple[str, str | _StrPromise]] = [("auto", _("Detect automatically"))]
    return choices + [(name, _(module.LABEL)) for name, module in formats.FORMATS.items()]


def _log_formats() -> list[tuple[str, str | _StrPromise]]:
    return [("auto", _("Detect automatically"))] + [
        (name, getattr(module, "LABEL", name)) for name, module in sorted(READERS.items())
    ]


# The fields Django declares as plain `Field`: narrowed to what they are, so the type
# checker knows they take a queryset or choices.
def _choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def _unit_field(form: forms.BaseForm) -> forms.ModelChoiceField[Unit]:
    return cast("forms.ModelChoiceField[Unit]", form.fields["unit"])


def _checked_size(upload, limit: int | None = None):
    limit = limit or settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise forms.ValidationError(
            _("The file is %(size)d MB; the limit is %(limit)d MB. Split it into parts.")
            % {"size": upload.size // 2**20, "limit": limit // 2**20}
        )
    return upload


def _checked_zip(upload):
    """Refuse at once an .xlsx that unpacks to more than the limits (docs/security.md)."""
    head = upload.read(4)
    upload.seek(0)
    if head == b"PK\x03\x04":
        try:
            upload_limits.check_xlsx(upload)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
    return upload


class ListUploadForm(forms.Form):
    file = forms.FileField(label=_("List file"))
    source = forms.ModelChoiceField(
        label=_("Source"),
        queryset=IndicatorSource.objects.all(),
        required=False,
        empty_label=_("— a new source —"),
    )
    new_source = forms.CharField(
        label=_("or a new source named"),
        max_length=120,
        required=False,
        help_text=_("e.g. 'VNCERT botnet' for the monthly list of the authorities."),
    )
    period = forms.CharField(
        label=_("Period"), max_length=40, required=False, help_text=_("e.g. 2024-01")
    )
    format = forms.ChoiceField(label=_("Format"), initial="auto")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _choice_field(self, "format").choices = _list_formats()

    def clean_file(self):
        # Logs are big by nature: they stream to disk and the worker reads them in blocks.
        upload = _checked_size(self.cleaned_data["file"], settings.LOG_UPLOAD_MAX_BYTES)
        return _checked_zip(upload)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if not data.get("source") and not (data.get("new_source") or "").strip():
            self.add_error("new_source", _("Choose the list's source or name a new one."))
        return data


class SourceForm(forms.ModelForm):
    class Meta:
        model = IndicatorSource
        fields = [
            "name",
            "description",
            "url",
            "format",
            "every_hours",
            "expected_every_days",
            "opens_tasks",
            "active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["format"] = forms.ChoiceField(
            label=_("Format"), choices=_list_formats(), initial="auto"
        )

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        if url and not url.lower().startswith(("http://", "https://", "file://")):
            raise forms.ValidationError(
                _("The feed URL must start with http://, https:// or file://.")
            )
        if url.lower().startswith(("http://", "https://")):
            outbound.validate_url(url)
        return url


class ColumnMappingForm(forms.Form):
    """Which header of the spreadsheet holds each field; remembered for the source."""

    def __init__(self, *args, headers: list[str], guessed: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— not in this file —"))] + [(h, h) for h in headers if h]
        for name, label in MAPPED_FIELDS:
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=choices,
                required=name == "ip",
                initial=guessed.get(name, ""),
            )

    def mapping(self) -> dict[str, str]:
        return {name: value for name, value in self.cleaned_data.items() if value}


class TaskFilter(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any")), ("open_states", _("Still open"))] + CleanupTask.Status.choices,
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any")), *CleanupTask.Priority.choices],
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("Any")
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        _unit_field(self).queryset = Unit.objects.visible_to(user)


class SightingFilter(forms.Form):
    via = forms.ChoiceField(
        label=_("Found by"), required=False, choices=[("", _("Any"))] + Sighting.Via.choices
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("Any")
    )
    version = forms.ModelChoiceField(
        label=_("List"),
        queryset=ListVersion.objects.select_related("source"),
        required=False,
        empty_label=_("Any"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        _unit_field(self).queryset = Unit.objects.visible_to(user)


class CleanedForm(forms.Form):
    tool = forms.CharField(
        label=_("Tool used"),
        max_length=200,
        help_text=_("e.g. Kaspersky Virus Removal Tool 20.0, reinstalled Windows"),
    )
    findings = forms.CharField(
        label=_("What was found and removed"), widget=forms.Textarea(attrs={"rows": 4})
    )
    file = forms.FileField(
        label=_("Evidence file"),
        required=False,
        help_text=_("A scan report or a screenshot of the clean scan."),
    )
    note = forms.CharField(label=_("Note on the file"), max_length=300, required=False)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        return _checked_size(upload) if upload else upload


class LogUploadForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    file = forms.FileField(label=_("Log file"))
    format = forms.ChoiceField(label=_("Format"), initial="auto")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.editable_by(user)
        _unit_field(self).queryset = units
        if len(units) == 1:
            self.fields["unit"].initial = units[0].pk
        _choice_field(self, "format").choices = _log_formats()

    def clean_file(self):
        # Logs are big by nature: they stream to disk and the worker reads them in blocks.
        return _checked_size(self.cleaned_data["file"], settings.LOG_UPLOAD_MAX_BYTES)


class LogFolderForm(forms.ModelForm):
    class Meta:
        model = LogFolder
        fields = ["unit", "path", "pattern", "format"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        _unit_field(self).queryset = Unit.objects.editable_by(user)
        self.fields["format"] = forms.ChoiceField(
            label=_("Format"), choices=_log_formats(), initial="auto"
        )
