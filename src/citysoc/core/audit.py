"""The audit log: every change to a registered model, with who, when, before and after.

Models opt in with `audit.register(Model)`. The actor comes from a context variable set
by the web middleware, the API token authentication, the CLI and tasks, so the same
signal handlers serve every way a change can be made. Bulk imports write one `import`
entry with their counts (bulk writes do not fire per-row signals by design).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save

logger = logging.getLogger(__name__)

# Fields never copied into the log: they change on every save or hold secrets.
SKIP_FIELDS = frozenset({"created_at", "updated_at", "path", "password", "key_hash", "last_login"})
_ENCODER = DjangoJSONEncoder()


@dataclass
class Actor:
    user: Any = None
    label: str = ""
    via: str = ""
    request: Any = None

    def resolve(self) -> tuple[Any, str]:
        user = self.user
        if user is None and self.request is not None:
            candidate = getattr(self.request, "user", None)
            if candidate is not None and candidate.is_authenticated:
                user = candidate
        label = self.label or (user.get_username() if user is not None else "system")
        return user, label


_current: ContextVar[Actor | None] = ContextVar("citysoc_audit_actor", default=None)


def current_actor() -> Actor:
    return _current.get() or Actor(via="system")


@contextlib.contextmanager
def acting_as(user=None, *, via: str, label: str = "", request=None) -> Iterator[Actor]:
    """Attribute every change made inside the block to `user` (or `label`)."""
    actor = Actor(user=user, label=label, via=via, request=request)
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)


def set_actor(user, *, via: str, label: str = "") -> None:
    """Replace the actor for the rest of this context (used by API token auth)."""
    _current.set(Actor(user=user, label=label, via=via))


_REGISTERED: set[type[models.Model]] = set()


def register(model: type[models.Model]) -> type[models.Model]:
    _REGISTERED.add(model)
    pre_save.connect(_remember_before, sender=model, weak=False)
    post_save.connect(_log_save, sender=model, weak=False)
    post_delete.connect(_log_delete, sender=model, weak=False)
    return model


def registered_models() -> set[type[models.Model]]:
    return set(_REGISTERED)


def snapshot(instance: models.Model) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for f in instance._meta.concrete_fields:
        if f.name in SKIP_FIELDS:
            continue
        value = f.value_from_object(instance)
        data[f.name] = value if isinstance(value, (str, int, bool, type(None))) else _json(value)
    return data


def _json(value: Any) -> Any:
    try:
        return _ENCODER.default(value)
    except TypeError:
        return str(value)


def _remember_before(sender, instance, **kwargs) -> None:
    if instance.pk is None or kwargs.get("raw"):
        instance._audit_before = None
        return
    old = sender._base_manager.filter(pk=instance.pk).first()
    instance._audit_before = snapshot(old) if old is not None else None


def _unit_id(instance) -> int | None:
    if instance._meta.model_name == "unit":
        return instance.pk
    return getattr(instance, "unit_id", None)


def _log_save(sender, instance, created, raw=False, **kwargs) -> None:
    if raw:
        return
    before = getattr(instance, "_audit_before", None)
    after = snapshot(instance)
    if created or before is None:
        changes = {"after": after}
        action = "create"
    else:
        diff = {k for k in after if before.get(k) != after.get(k)}
        if not diff:
            return
        changes = {
            "before": {k: before.get(k) for k in sorted(diff)},
            "after": {k: after[k] for k in sorted(diff)},
        }
        action = "update"
    write(action, instance, changes)


def _log_delete(sender, instance, **kwargs) -> None:
    write("delete", instance, {"before": snapshot(instance)})


def write(action: str, instance: models.Model | None, changes: dict, **extra: Any) -> None:
    """Write one audit entry attributed to the current actor."""
    from citysoc.core.models import AuditEntry, Unit

    actor = current_actor()
    user, label = actor.resolve()
    if instance is not None:
        unit_id = _unit_id(instance)
        # A deletion may be the unit's own, or part of it (its rows go first): an entry
        # naming a unit that is gone would break the foreign key. Otherwise it exists.
        if (
            action == "delete"
            and unit_id is not None
            and not Unit.objects.filter(pk=unit_id).exists()
        ):
            unit_id = None
        extra.setdefault("model", instance._meta.label_lower)
        extra.setdefault("object_id", str(instance.pk or ""))
        extra.setdefault("object_repr", str(instance)[:200])
        extra.setdefault("unit_id", unit_id)
    AuditEntry.objects.create(
        actor=user if user is not None and user.pk else None,
        actor_label=label[:150],
        via=actor.via,
        action=action,
        changes=changes,
        **extra,
    )


def _on_login(sender, request, user, **kwargs) -> None:
    with acting_as(user, via="web"):
        write("login", None, {}, model="auth.user", object_id=str(user.pk), object_repr=str(user))


def _on_logout(sender, request, user, **kwargs) -> None:
    if user is None:
        return
    with acting_as(user, via="web"):
        write("logout", None, {}, model="auth.user", object_id=str(user.pk), object_repr=str(user))


def _on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    name = str(credentials.get("username", ""))[:150]
    with acting_as(None, via="web", label=name or "?"):
        write("login_failed", None, {}, model="auth.user", object_repr=name)


user_logged_in.connect(_on_login, weak=False)
user_logged_out.connect(_on_logout, weak=False)
user_login_failed.connect(_on_login_failed, weak=False)
