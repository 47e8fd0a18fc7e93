"""Forms of the duty pages: rosters, layers, shifts, overrides, swaps, the duty log.

They check the *shape* of what was sent and offer only the user's own units and the
people of the roster's unit; the rules live in `swaps`, `logbook` and `schedule`.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citysoc.core.forms import model_choice_field
from citysoc.core.models import Person, Unit
from citysoc.duty import logbook, periods
from citysoc.duty.models import Handover, Layer, LogEntry, Override, Roster, Shift

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"})
DATETIME_WIDGET = forms.DateTimeInput(
    format="%d/%m/%Y %H:%M", attrs={"placeholder": "dd/mm/yyyy hh:mm"}
)
TIME_WIDGET = forms.TimeInput(format="%H:%M", attrs={"placeholder": "hh:mm"})
WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


def unit_people(unit: Unit):
    return Person.objects.filter(unit=unit, is_active=True).order_by("full_name")


class RosterForm(forms.ModelForm):
    """A roster; with the Tết preset its days are computed from the lunar calendar."""

    PRESETS = [("", _("Dates below")), ("tet", _("Tết period"))]

    preset = forms.ChoiceField(label=_("Period"), choices=PRESETS, required=False)
    tet_year = forms.IntegerField(
        label=_("Tết of year"), required=False, min_value=1901, max_value=2099
    )
    days_before = forms.IntegerField(
        label=_("Days before Tết"), required=False, min_value=0, max_value=30,
        initial=periods.DEFAULT_DAYS_BEFORE,
    )  # fmt: skip
    days_after = forms.IntegerField(
        label=_("Days after Tết"), required=False, min_value=0, max_value=30,
        initial=periods.DEFAULT_DAYS_AFTER,
    )  # fmt: skip
    twelve_hour_shifts = forms.BooleanField(
        label=_("Start with two 12-hour shifts (07:00–19:00 and 19:00–07:00)"), required=False
    )

    class Meta:
        model = Roster
        fields = ["unit", "name", "starts_on", "ends_on", "note"]
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET}

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "unit").queryset = (
            units if units is not None else Unit.objects.none()
        )
        self.fields["starts_on"].required = False
        self.fields["ends_on"].required = False
        if self.instance.pk:
            for name in ("preset", "tet_year", "days_before", "days_after", "twelve_hour_shifts"):
                del self.fields[name]
        else:
            self.fields["tet_year"].initial = periods.coming_tet_year(timezone.localdate())

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("preset") == "tet":
            year = data.get("tet_year") or periods.coming_tet_year(timezone.localdate())
            before = data.get("days_before")
            after = data.get("days_after")
            data["starts_on"], data["ends_on"] = periods.tet_period(
                year,
                periods.DEFAULT_DAYS_BEFORE if before is None else before,
                periods.DEFAULT_DAYS_AFTER if after is None else after,
            )
            self.instance.starts_on, self.instance.ends_on = data["starts_on"], data["ends_on"]
        for name in ("starts_on", "ends_on"):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, _("Give the day, or choose the Tết period."))
        first, last = data.get("starts_on"), data.get("ends_on")
        if first and last and last < first:
            self.add_error("ends_on", _("The last day is before the first day."))
        return data


class LayerForm(forms.ModelForm):
    class Meta:
        model = Layer
        fields = ["name", "level"]


class ShiftForm(forms.ModelForm):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For a weekly shift."),
    )

    class Meta:
        model = Shift
        fields = [
            "layer", "name", "repeat", "start_time", "end_time", "weekdays",
            "first_day", "last_day", "once_start", "once_end", "people",
        ]  # fmt: skip
        widgets = {
            "start_time": TIME_WIDGET,
            "end_time": TIME_WIDGET,
            "first_day": DATE_WIDGET,
            "last_day": DATE_WIDGET,
            "once_start": DATETIME_WIDGET,
            "once_end": DATETIME_WIDGET,
            "people": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, roster: Roster, **kwargs):
        super().__init__(*args, **kwargs)
        self.roster = roster
        model_choice_field(self, "layer").queryset = roster.layers.all()
        model_choice_field(self, "layer").empty_label = None
        model_choice_field(self, "people").queryset = unit_people(roster.unit)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        repeat = data.get("repeat")
        if repeat == Shift.Repeat.ONCE:
            start, end = data.get("once_start"), data.get("once_end")
            if not start or not end:
                raise forms.ValidationError(_("A one-off shift needs its start and end."))
            if end <= start:
                self.add_error("once_end", _("The end is before the start."))
        elif repeat in (Shift.Repeat.DAILY, Shift.Repeat.WEEKLY):
            for name in ("start_time", "end_time"):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, _("A repeating shift needs its start and end time."))
            if repeat == Shift.Repeat.WEEKLY and not data.get("weekdays"):
                self.add_error("weekdays", _("Tick at least one weekday."))
        return data

    def save(self, commit=True):
        self.instance.roster = self.roster
        return super().save(commit)


class OverrideForm(forms.ModelForm):
    class Meta:
        model = Override
        fields = ["person", "replaces", "starts_at", "ends_at", "reason"]
        widgets = {"starts_at": DATETIME_WIDGET, "ends_at": DATETIME_WIDGET}

    def __init__(self, *args, roster: Roster, **kwargs):
        super().__init__(*args, **kwargs)
        self.roster = roster
        model_choice_field(self, "person").queryset = unit_people(roster.unit)
        model_choice_field(self, "replaces").queryset = unit_people(roster.unit)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("The end is before the start."))
        return data

    def save(self, commit=True):
        self.instance.roster = self.roster
        return super().save(commit)


class SwapForm(forms.Form):
    shift = forms.ModelChoiceField(label=_("Shift"), queryset=Shift.objects.none())
    day = forms.DateField(label=_("Day the shift starts"), widget=DATE_WIDGET)
    requester = forms.ModelChoiceField(label=_("Asked by"), queryset=Person.objects.none())
    target = forms.ModelChoiceField(label=_("Asked to take it"), queryset=Person.objects.none())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, roster: Roster, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "shift").queryset = roster.shifts.exclude(repeat=Shift.Repeat.ONCE)
        model_choice_field(self, "requester").queryset = unit_people(roster.unit)
        model_choice_field(self, "target").queryset = unit_people(roster.unit)


class LogEntryForm(forms.ModelForm):
    class Meta:
        model = LogEntry
        fields = ["unit", "at", "checked", "seen", "done"]
        widgets = {
            "at": DATETIME_WIDGET,
            "checked": forms.Textarea(attrs={"rows": 2}),
            "seen": forms.Textarea(attrs={"rows": 2}),
            "done": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "unit").queryset = units
        model_choice_field(self, "unit").empty_label = None
        self.fields["at"].initial = lambda: timezone.localtime().replace(second=0, microsecond=0)

    def clean_at(self) -> dt.datetime:
        logbook.check_entry_time(self.cleaned_data["at"])
        return self.cleaned_data["at"]


class HandoverForm(forms.ModelForm):
    class Meta:
        model = Handover
        fields = ["unit", "at", "from_person", "to_person", "note"]
        widgets = {"at": DATETIME_WIDGET, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "unit").queryset = units
        model_choice_field(self, "unit").empty_label = None
        people = Person.objects.filter(unit__in=units, is_active=True).select_related("unit")
        model_choice_field(self, "from_person").queryset = people
        model_choice_field(self, "to_person").queryset = people
        self.fields["at"].initial = lambda: timezone.localtime().replace(second=0, microsecond=0)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        unit = data.get("unit")
        for name in ("from_person", "to_person"):
            person = data.get(name)
            if unit and person and person.unit_id != unit.pk:
                self.add_error(name, _("This person is not of the chosen unit."))
        if data.get("from_person") and data.get("from_person") == data.get("to_person"):
            self.add_error("to_person", _("The incoming person must be someone else."))
        return data


class PeriodForm(forms.Form):
    """The unit and days of a duty-log page or export."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    first = forms.DateField(label=_("From"), required=False, widget=DATE_WIDGET)
    last = forms.DateField(label=_("To"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "unit").queryset = units

    def period(self) -> tuple[dt.date, dt.date]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        last = data.get("last") or today
        return data.get("first") or last - dt.timedelta(days=6), last
