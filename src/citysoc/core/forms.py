"""Forms for units, people (with their login account) and the audit log filters."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.password_validation import validate_password
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citysoc.core.models import AuditEntry, Person, Unit
from citysoc.core.tenancy import scope_for

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# A text field in dd/mm/yyyy rather than <input type=date>, whose display follows the
# browser's locale (mm/dd/yyyy on an English browser) instead of Vietnamese practice.
DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"})


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """The form's field `name`, a model choice field, to narrow its queryset per request.

    Django's types know `form.fields` only as plain fields; the form's declaration (or its
    model's foreign key) is what makes this one a model choice field, checked here.
    """
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):  # also a ModelMultipleChoiceField
        raise TypeError(f"{name} is a {type(field).__name__}, not a model choice field")
    return field


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's field `name`, a choice field, to set its choices per request (as above)."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name} is a {type(field).__name__}, not a choice field")
    return field


class UnitForm(forms.ModelForm):
    """A unit; the parent is one of the units the user manages (city roles: or none)."""

    class Meta:
        model = Unit
        fields = [
            "code",
            "name",
            "kind",
            "parent",
            "address",
            "phone",
            "email",
            "security_lead_name",
            "security_lead_phone",
            "security_lead_email",
            "incident_contact_name",
            "incident_contact_phone",
            "incident_contact_email",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_city = scope_for(user).is_city
        parents = Unit.objects.manageable_by(user)
        if self.instance.pk:
            parents = parents.exclude(path__startswith=self.instance.path)
        parent = model_choice_field(self, "parent")
        parent.queryset = parents.order_by("path")
        parent.required = not self.is_city
        if self.instance.pk and not self.is_city:
            # A unit admin edits their unit's details; moving it in the tree is the city's.
            parent.disabled = True
            parent.queryset = Unit.objects.filter(pk=self.instance.parent_id)
            parent.required = False
        if not self.is_city:
            parent.help_text = _("Only the city can add a top-level unit.")


ACCOUNT_NONE = "none"
ACCOUNT_PASSWORD = "password"  # noqa: S105 - a choice value, not a password
ACCOUNT_EMAIL = "email"


class PersonForm(forms.ModelForm):
    """A person with a role in a unit, optionally with a new login account."""

    account = forms.ChoiceField(
        label=_("Login account"),
        choices=[
            (ACCOUNT_NONE, _("No login")),
            (ACCOUNT_PASSWORD, _("Create a login with an initial password")),
            (ACCOUNT_EMAIL, _("Create a login and e-mail a link to set the password")),
        ],
        initial=ACCOUNT_NONE,
        widget=forms.RadioSelect,
    )
    username = forms.CharField(label=_("Username"), max_length=150, required=False)
    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("The person should change it after the first login."),
    )

    class Meta:
        model = Person
        fields = ["unit", "full_name", "title", "email", "phone", "role", "is_active"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "unit").queryset = Unit.objects.manageable_by(user).order_by(
            "path"
        )
        if not scope_for(user).is_city:
            choice_field(self, "role").choices = [
                c for c in Person.Role.choices if c[0] != Person.Role.CITY_ADMIN
            ]
        if self.instance.user_id:
            for name in ("account", "username", "password"):
                del self.fields[name]

    def clean_username(self) -> str:
        name = self.cleaned_data.get("username", "").strip()
        if name and get_user_model().objects.filter(username__iexact=name).exists():
            raise forms.ValidationError(_("The username '%(name)s' is taken.") % {"name": name})
        return name

    def clean(self):
        super().clean()
        data = self.cleaned_data
        account = data.get("account", ACCOUNT_NONE)
        if account == ACCOUNT_NONE:
            return data
        if not data.get("username"):
            self.add_error("username", _("A login needs a username."))
        if account == ACCOUNT_PASSWORD:
            self._check_password(data)
        if account == ACCOUNT_EMAIL and not data.get("email"):
            self.add_error("email", _("The link is sent by e-mail: fill in the e-mail address."))
        return data

    def _check_password(self, data) -> None:
        if not data.get("password"):
            self.add_error("password", _("Type the initial password, or choose the e-mail link."))
            return
        candidate = get_user_model()(username=data.get("username", ""), email=data.get("email"))
        try:
            validate_password(data["password"], candidate)
        except forms.ValidationError as exc:
            self.add_error("password", exc)

    def save_with_account(self, request) -> Person:
        """Save the person and, if asked, create the login (call inside a transaction)."""
        person = self.save()
        account = self.cleaned_data.get("account", ACCOUNT_NONE)
        if account != ACCOUNT_NONE:
            person.user = create_login(
                person, self.cleaned_data["username"], self.cleaned_data.get("password") or None
            )
            person.save(update_fields=["user"])
            if account == ACCOUNT_EMAIL:
                send_password_link(person.user, request)
        return person


def create_login(person: Person, username: str, password: str | None):
    """A login account for `person`; without a password it cannot log in until reset."""
    first, _sep, last = person.full_name.rpartition(" ")
    return get_user_model().objects.create_user(
        username,
        person.email,
        password,
        first_name=first[:150],
        last_name=last[:150],
    )


class _PasswordLinkForm(PasswordResetForm):
    """Django's reset form sent to one account: an account created without a password has
    an unusable one, and Django's form skips such accounts when it looks them up by e-mail."""

    def __init__(self, user) -> None:
        super().__init__({"email": user.email})
        self.user = user

    def get_users(self, email):
        return [self.user]


def send_password_link(user, request) -> None:
    """E-mail the standard password reset link, so the person chooses their password."""
    form = _PasswordLinkForm(user)
    if form.is_valid():
        form.save(request=request, use_https=request.is_secure())


class AuditFilter(forms.Form):
    """The audit log page's filters; `apply()` narrows the entries."""

    user = forms.CharField(label=_("By (username)"), required=False)
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.all(), required=False, empty_label=_("All")
    )
    model = forms.ChoiceField(label=_("Object type"), required=False)
    action = forms.ChoiceField(
        label=_("Action"), choices=[("", _("All")), *AuditEntry.Action.choices], required=False
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from citysoc.core.audit_display import type_label

        types = AuditEntry.objects.order_by("model").values_list("model", flat=True).distinct()
        choices: list[tuple[str, StrOrPromise]] = [("", _("All"))]
        choices += sorted(((m, type_label(m)) for m in types), key=lambda choice: choice[1].lower())
        choice_field(self, "model").choices = choices
        model_choice_field(self, "unit").queryset = Unit.objects.order_by("path")

    def apply(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["user"]:
            name = data["user"].strip()
            queryset = queryset.filter(
                Q(actor__username__iexact=name) | Q(actor_label__iexact=name)
            )
        if data["unit"]:
            queryset = queryset.filter(unit=data["unit"])
        for name in ("model", "action"):
            if data[name]:
                queryset = queryset.filter(**{name: data[name]})
        if data["date_from"]:
            queryset = queryset.filter(at__gte=_start_of(data["date_from"]))
        if data["date_to"]:
            queryset = queryset.filter(at__lt=_start_of(data["date_to"] + dt.timedelta(days=1)))
        return queryset


def _start_of(day: dt.date) -> dt.datetime:
    """Midnight of `day` in the city's time zone (the dates on the page are local dates)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class UnitFilter(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All")), *Unit.Kind.choices], required=False
    )
    q = forms.CharField(label=_("Search"), required=False)

    def apply(self, queryset):
        if not self.is_valid():
            return queryset
        if self.cleaned_data["kind"]:
            queryset = queryset.filter(kind=self.cleaned_data["kind"])
        text = self.cleaned_data["q"].strip()
        if text:
            queryset = queryset.filter(
                Q(name__icontains=text) | Q(code__icontains=text) | Q(address__icontains=text)
            )
        return queryset


class PersonFilter(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All")
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("All")), *Person.Role.choices], required=False
    )
    q = forms.CharField(label=_("Search"), required=False)

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        model_choice_field(self, "unit").queryset = Unit.objects.visible_to(user).order_by("path")

    def apply(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["unit"]:
            queryset = queryset.filter(unit__path__startswith=data["unit"].path)
        if data["role"]:
            queryset = queryset.filter(role=data["role"])
        text = data["q"].strip()
        if text:
            queryset = queryset.filter(
                Q(full_name__icontains=text)
                | Q(email__icontains=text)
                | Q(user__username__icontains=text)
            )
        return queryset
