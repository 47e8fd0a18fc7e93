"""Inventory forms: each offers only the units (and their systems) the user may edit.

A POST naming a unit outside the user's scope fails validation like any other choice
that is not offered, so nothing of another unit can be created or moved there.
"""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from citysoc.core.forms import model_choice_field
from citysoc.core.models import Person, Unit
from citysoc.inventory import asset_fields, claims, system_fields
from citysoc.inventory.columns import field_names
from citysoc.inventory.models import (
    ClaimState,
    Domain,
    Host,
    InformationSystem,
    IpRange,
    SecurityRegime,
)
from citysoc.lib import domains as domain_lib
from citysoc.lib import iprange

LEVEL_CHOICES = [("", "—")] + [(str(n), str(n)) for n in range(1, 6)]
# A text field in dd/mm/yyyy rather than <input type=date>, whose display follows the
# browser's locale (mm/dd/yyyy on an English browser) instead of Vietnamese practice.
DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"})


class UnitOwnedForm(forms.ModelForm):
    """Base: the `unit` field lists the units the user may edit."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        model_choice_field(self, "unit").queryset = Unit.objects.editable_by(user).order_by("path")

    def _same_unit(self, field: str, objects) -> None:
        unit = self.cleaned_data.get("unit")
        if unit is None:
            return
        wrong = [str(o) for o in objects if o is not None and o.unit_id != unit.pk]
        if wrong:
            self.add_error(
                field,
                _("%(names)s belongs to another unit; choose only %(unit)s's own.")
                % {"names": ", ".join(wrong), "unit": unit},
            )


class ClaimForm(UnitOwnedForm):
    """Hosts and ranges: saving judges the addresses claimed (`claims.settle`)."""

    def save(self, commit: bool = True):
        obj = super().save(commit=False)
        claims.settle(self.user, obj)
        if commit:
            obj.save()
            self.save_m2m()
        return obj


class SystemForm(UnitOwnedForm):
    info_classes = forms.MultipleChoiceField(
        label=_("Information classes"),
        choices=InformationSystem.InfoClass.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    security_level = forms.TypedChoiceField(
        label=_("Security level"),
        choices=LEVEL_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )

    class Meta:
        model = InformationSystem
        fields = system_fields.FIELD_NAMES
        widgets = {"decision_date": DATE_WIDGET, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "regime").queryset = SecurityRegime.objects.all()


class HostForm(ClaimForm):
    class Meta:
        model = Host
        fields = field_names(asset_fields.HOST_FIELDS)
        widgets = {"systems": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "systems").queryset = (
            InformationSystem.objects.editable_by(self.user)
            .select_related("unit")
            .order_by("unit__path", "name")
        )
        model_choice_field(self, "owner").queryset = Person.objects.editable_by(self.user).order_by(
            "unit__path", "full_name"
        )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        self._same_unit("systems", data.get("systems") or [])
        self._same_unit("owner", [data.get("owner")])
        return data


class RangeForm(ClaimForm):
    class Meta:
        model = IpRange
        fields = field_names(asset_fields.RANGE_FIELDS)
        help_texts = {
            "text": _("A CIDR (10.1.0.0/24, 2001:db8::/48), one address, or a-b range."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # ISPs are a public reference list: every unit needs to name the one it buys from.
        model_choice_field(self, "provider").queryset = Unit.objects.filter(kind=Unit.Kind.ISP)

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        try:
            return iprange.format_range(iprange.parse_range(text))
        except iprange.RangeError as exc:
            raise forms.ValidationError(str(exc)) from exc


class DomainForm(UnitOwnedForm):
    url = forms.URLField(label=_("Website URL"), required=False, assume_scheme="https")

    class Meta:
        model = Domain
        fields = field_names(asset_fields.DOMAIN_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "system").queryset = (
            InformationSystem.objects.editable_by(self.user)
            .select_related("unit")
            .order_by("unit__path", "name")
        )

    def clean_name(self) -> str:
        try:
            return domain_lib.normalize_domain(self.cleaned_data["name"])
        except domain_lib.DomainError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean(self):
        super().clean()
        data = self.cleaned_data
        self._same_unit("system", [data.get("system")])
        return data


# --- list filters --------------------------------------------------------------------------


class ListFilter(forms.Form):
    """GET filters of a list page; `apply()` narrows an already tenancy-scoped queryset."""

    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All")
    )
    q = forms.CharField(label=_("Search"), required=False)

    search_fields: tuple[str, ...] = ()

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        model_choice_field(self, "unit").queryset = Unit.objects.visible_to(user).order_by("path")

    def apply(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data.get("unit"):
            queryset = queryset.filter(unit__path__startswith=data["unit"].path)
        if data.get("q"):
            q = Q()
            for name in self.search_fields:
                q |= Q(**{f"{name}__icontains": data["q"].strip()})
            queryset = queryset.filter(q)
        return self.narrow(queryset, data)

    def narrow(self, queryset, data):
        return queryset


def _choices(choices) -> list[tuple[str, str]]:
    return [("", _("All")), *choices]


class SystemFilter(ListFilter):
    system_type = forms.ChoiceField(
        label=_("Type"), choices=_choices(InformationSystem.Type.choices), required=False
    )
    level = forms.ChoiceField(
        label=_("Level"),
        choices=_choices([(str(n), str(n)) for n in range(1, 6)] + [("none", _("None"))]),
        required=False,
    )
    dossier = forms.ChoiceField(
        label=_("Dossier"), choices=_choices(InformationSystem.Dossier.choices), required=False
    )
    approved = forms.ChoiceField(
        label=_("Level approved"),
        choices=_choices([("yes", _("Yes")), ("no", _("No"))]),
        required=False,
    )
    search_fields = ("name", "owner_body", "decision_number")

    def narrow(self, queryset, data):
        if data.get("system_type"):
            queryset = queryset.filter(system_type=data["system_type"])
        if data.get("level") == "none":
            queryset = queryset.filter(security_level__isnull=True)
        elif data.get("level"):
            queryset = queryset.filter(security_level=int(data["level"]))
        if data.get("dossier"):
            queryset = queryset.filter(dossier_status=data["dossier"])
        approved = Q(
            security_level__isnull=False, dossier_status=InformationSystem.Dossier.APPROVED
        )
        if data.get("approved") == "yes":
            queryset = queryset.filter(approved)
        elif data.get("approved") == "no":
            queryset = queryset.exclude(approved)
        return queryset


def _claim_state_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Approval"), choices=_choices(ClaimState.choices), required=False
    )


class HostFilter(ListFilter):
    kind = forms.ChoiceField(label=_("Kind"), choices=_choices(Host.Kind.choices), required=False)
    ip = forms.CharField(label=_("IP address"), required=False)
    claim_state = _claim_state_field()
    search_fields = ("hostname", "os", "location", "mac")

    def narrow(self, queryset, data):
        if data.get("claim_state"):
            queryset = queryset.filter(claim_state=data["claim_state"])
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        ip = (data.get("ip") or "").strip()
        if ip:
            queryset = queryset.filter(_ip_query(ip))
        return queryset


def _ip_query(text: str) -> Q:
    """An exact address matches exactly; a fragment ('10.1.2.') matches addresses it starts."""
    try:
        version, _value = iprange.parse_address(text)
    except iprange.RangeError:
        return Q(ipv4__startswith=text) | Q(ipv6__istartswith=text)
    return Q(ipv4=text) if version == 4 else Q(ipv6=text)


class RangeFilter(ListFilter):
    version = forms.ChoiceField(
        label=_("IP version"), choices=_choices([("4", "IPv4"), ("6", "IPv6")]), required=False
    )
    scope = forms.ChoiceField(
        label=_("Scope"), choices=_choices(IpRange.Scope.choices), required=False
    )
    claim_state = _claim_state_field()
    search_fields = ("text", "note")

    def narrow(self, queryset, data):
        if data.get("claim_state"):
            queryset = queryset.filter(claim_state=data["claim_state"])
        if data.get("version"):
            queryset = queryset.filter(version=int(data["version"]))
        if data.get("scope"):
            queryset = queryset.filter(scope=data["scope"])
        return queryset


class DomainFilter(ListFilter):
    search_fields = ("name", "url", "note")
