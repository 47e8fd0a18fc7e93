"""The audit log as people read it: object types, field names and values in words.

An entry stores what the code knows: `alerts.incident`, `{"unit": 10, "created_by": null,
"created_at": "2026-12-06T01:02:03.456Z"}`. The page shows the type's name ("sự cố"), each
field's label, the unit or person a key points to, choices by their label, and times in
the city's time zone. The stored entry and the CSV export keep the raw values: they are
the record.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from citysoc.core.models import Person

EMPTY = "—"


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


def model_of(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def type_label(label: str) -> str:
    """'alerts.incident' -> the model's verbose name in the reader's language."""
    model = model_of(label)
    if model is None:
        return label
    name = str(model._meta.verbose_name)
    return name[:1].upper() + name[1:]


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except Exception:  # FieldDoesNotExist, or a name from an older version of the model
        return None
    # Changes are recorded for the model's own fields, never for a reverse relation.
    return field if isinstance(field, models.Field) else None


def _related_names(entries: Iterable[Any]) -> dict[tuple[type, str], str]:
    """One query per related model for every key the entries' changes point to."""
    wanted: dict[type[models.Model], set] = defaultdict(set)
    for entry in entries:
        model = model_of(entry.model)
        for side in ("before", "after"):
            for name, value in (entry.changes or {}).get(side, {}).items():
                field = _field(model, name)
                if (
                    field is not None
                    and field.many_to_one
                    and field.related_model
                    and value is not None
                ):
                    wanted[field.related_model].add(value)
    user_model = get_user_model()
    wanted[user_model] |= {e.actor_id for e in entries if e.actor_id is not None}
    names: dict[tuple[type, str], str] = {}
    for related, keys in wanted.items():
        for pk, obj in related._base_manager.in_bulk(list(keys)).items():
            names[(related, str(pk))] = _name_of(obj)
    # A user is named as the person of a unit they are (as timelines name them).
    people = Person.objects.filter(user_id__in=wanted[user_model], is_active=True)
    for user_id, full_name in people.values_list("user_id", "full_name"):
        names[(user_model, str(user_id))] = full_name
    return names


def _name_of(obj: models.Model) -> str:
    for attr in ("name", "full_name", "title"):
        value = getattr(obj, attr, None)
        if isinstance(value, str) and value:
            return value
    if isinstance(obj, AbstractUser):
        return obj.get_full_name() or obj.get_username()
    return str(obj)


def _local_time(value: str) -> str | None:
    moment = parse_datetime(value)
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, dt.UTC)
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M:%S")


def value_text(field: models.Field | None, value: Any, names: dict) -> str:
    if value is None or value == "":
        return EMPTY
    if field is not None and field.many_to_one:
        return names.get((field.related_model, str(value)), f"#{value}")
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str) and isinstance(field, models.DateTimeField):
        return _local_time(value) or value
    if isinstance(value, str) and isinstance(field, models.DateField):
        day = parse_date(value)
        return day.strftime("%d/%m/%Y") if day else value
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def changes_of(entry: Any, names: dict) -> list[FieldChange]:
    model = model_of(entry.model)
    before = (entry.changes or {}).get("before", {}) or {}
    after = (entry.changes or {}).get("after", {}) or {}
    rows = []
    for name in list(dict.fromkeys([*before, *after])):
        field = _field(model, name)
        label = str(field.verbose_name) if field is not None else name.replace("_", " ")
        rows.append(
            FieldChange(
                label=label[:1].upper() + label[1:],
                before=value_text(field, before[name], names) if name in before else "",
                after=value_text(field, after[name], names) if name in after else "",
            )
        )
    return rows


def via_label(via: str) -> str:
    labels = {
        "web": _("web"),
        "api": _("API"),
        "cli": _("command line"),
        "task": _("scheduled task"),
        "system": _("system"),
    }
    return labels.get(via, via)


def actor_text(entry: Any, names: dict) -> str:
    """The person's name when the actor is a known user, else the stored label."""
    if entry.actor_id is None:
        return entry.actor_label
    return names.get((get_user_model(), str(entry.actor_id)), entry.actor_label)


def annotate(entries: Iterable[Any]) -> None:
    """Give each entry the texts of the page (one query per related model, not per row)."""
    entries = list(entries)
    names = _related_names(entries)
    for entry in entries:
        entry.type_label = type_label(entry.model)
        entry.field_changes = changes_of(entry, names)
        entry.via_label = via_label(entry.via)
        entry.actor_text = actor_text(entry, names)
