"""Who may see and change which unit's data — the one place this is decided.

A role held at a unit covers that unit and every unit under it. The city's own roles
are held at the root unit, so a `city_admin` or a city `viewer` sees the whole tree.
Pages, API, exports and search all fetch unit-owned rows through `visible_to(user)`;
writes check `can_edit(user, unit)`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Self, TypeVar

from django.db import models
from django.db.models import Q

_M = TypeVar("_M", bound=models.Model)

EDIT_ROLES = frozenset({"city_admin", "unit_admin", "operator"})
MANAGE_ROLES = frozenset({"city_admin", "unit_admin"})
LOGIN_ROLES = frozenset({"city_admin", "unit_admin", "operator", "viewer", "isp_liaison"})


@dataclass(frozen=True)
class Scope:
    """The unit subtrees a user may see, edit and manage (people, tokens)."""

    everything: bool = False
    view_paths: tuple[str, ...] = ()
    edit_paths: tuple[str, ...] = ()
    manage_paths: tuple[str, ...] = ()
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_city(self) -> bool:
        return self.everything or "city_admin" in self.roles

    @property
    def city_reader(self) -> bool:
        """Sees the whole city: a city role, or any role held at the root unit."""
        return self.is_city or any(_is_root(p) for p in self.view_paths)

    @property
    def city_editor(self) -> bool:
        """Changes the city's own data (lists, feeds): an editing role at the root unit."""
        return self.everything or any(_is_root(p) for p in self.edit_paths)


def _is_root(path: str) -> bool:
    return path.count("/") == 2  # "/1/": the unit with no parent


def scope_for(user: Any) -> Scope:
    """Compute (once per request/user object) what `user` may reach."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    cached = getattr(user, "_citysoc_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = Scope(everything=True, roles=frozenset({"city_admin"}))
    else:
        scope = _scope_from_memberships(user)
    user._citysoc_scope = scope
    return scope


def _scope_from_memberships(user) -> Scope:
    # Through the user's reverse relation: core.models imports this module for its querysets.
    rows = user.memberships.filter(is_active=True, role__in=LOGIN_ROLES).values_list(
        "role", "unit__path"
    )
    roles = frozenset(role for role, _ in rows)
    view = tuple(_outermost(path for _, path in rows))
    edit = tuple(_outermost(path for role, path in rows if role in EDIT_ROLES))
    manage = tuple(_outermost(path for role, path in rows if role in MANAGE_ROLES))
    everything = "city_admin" in roles and any(_is_root(p) for p in manage)
    return Scope(everything, view, edit, manage, roles)


def _outermost(paths) -> list[str]:
    """Drop paths already covered by a shorter one, so the SQL filter stays small."""
    kept: list[str] = []
    for path in sorted(set(paths), key=len):
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return kept


def _path_filter(paths: tuple[str, ...], lookup: str) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{lookup}__startswith": path})
    return q


def can_see(user: Any, unit: Any) -> bool:
    scope = scope_for(user)
    return scope.everything or any(unit.path.startswith(p) for p in scope.view_paths)


def can_edit(user: Any, unit: Any) -> bool:
    scope = scope_for(user)
    if scope.everything:
        return True
    return any(unit.path.startswith(p) for p in scope.edit_paths)


def can_manage(user: Any, unit: Any) -> bool:
    scope = scope_for(user)
    return scope.everything or any(unit.path.startswith(p) for p in scope.manage_paths)


class _ScopedQuerySet(models.QuerySet[_M]):
    path_lookup = "unit__path"

    def _scoped(self, user: Any, attr: str) -> Self:
        scope = scope_for(user)
        if scope.everything:
            return self
        paths = getattr(scope, attr)
        if not paths:
            return self.none()
        return self.filter(_path_filter(paths, self.path_lookup))

    def visible_to(self, user: Any) -> Self:
        """Rows of the units this user may see."""
        return self._scoped(user, "view_paths")

    def editable_by(self, user: Any) -> Self:
        """Rows of the units this user may change."""
        return self._scoped(user, "edit_paths")

    def manageable_by(self, user: Any) -> Self:
        return self._scoped(user, "manage_paths")


class UnitOwnedQuerySet(_ScopedQuerySet[_M]):
    """For every model with a `unit` foreign key."""


class UnitQuerySet(_ScopedQuerySet[_M]):
    path_lookup = "path"

    def subtree(self, unit):
        return self.filter(path__startswith=unit.path)
