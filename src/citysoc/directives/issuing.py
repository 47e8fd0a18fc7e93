"""Issuing a directive: one assignment per (recipient unit × item that applies to it)."""

from __future__ import annotations

import logging
from typing import cast

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citysoc.core import audit
from citysoc.core.models import Unit
from citysoc.directives.models import Assignment, Directive

logger = logging.getLogger(__name__)


class IssueError(ValueError):
    """The directive cannot be issued as it stands; the message says what to fix."""


def recipients(directive: Directive) -> list[Unit]:
    """The chosen units plus every unit of the chosen kinds, in tree order."""
    chosen = set(directive.recipient_units.values_list("pk", flat=True))
    by_kind = Unit.objects.filter(kind__in=directive.recipient_kinds or [])
    ids = chosen | set(by_kind.values_list("pk", flat=True))
    # The issuing unit does not send work to itself.
    ids.discard(directive.unit_id)
    return list(Unit.objects.filter(pk__in=ids).order_by("path"))


# A template leaves "…" where only the office knows the text (the number and date of the
# letter it implements); an issued directive must not show it to a hundred units.
PLACEHOLDERS = ("…", "...")


def unfilled_fields(directive: Directive) -> list[str]:
    """The names of the fields that still hold a template's "…" placeholder."""
    fields = ("subject", "legal_bases", "body", "addressees")
    return [
        str(cast(models.Field, Directive._meta.get_field(name)).verbose_name)
        for name in fields
        if any(mark in getattr(directive, name) for mark in PLACEHOLDERS)
    ]


def issue(directive: Directive, *, by) -> list[Assignment]:
    """Issue `directive` and return the assignments this call created.

    Issuing again (after adding an item or a recipient) only creates what is missing, so
    answers already given are kept.
    """
    items = list(directive.items.all())
    if not items:
        raise IssueError(_("the directive has no action items: add at least one before issuing"))
    units = recipients(directive)
    if not units:
        raise IssueError(_("the directive has no recipients: choose unit kinds or units"))
    unfilled = unfilled_fields(directive)
    if unfilled:
        raise IssueError(
            _("%(fields)s still hold a “…” to fill in (the number and date of what it cites)")
            % {"fields": ", ".join(unfilled)}
        )
    with transaction.atomic():
        existing = set(directive.assignments.values_list("item_id", "unit_id"))
        new = [
            Assignment(directive=directive, item=item, unit=unit)
            for unit in units
            for item in items
            if item.applies_to(unit) and (item.pk, unit.pk) not in existing
        ]
        # One row per (unit, item) can mean thousands: write them in bulk and log one
        # summary entry, as the imports do.
        created = Assignment.objects.bulk_create(new)
        if not directive.is_issued:
            directive.status = Directive.Status.ISSUED
            directive.issued_at = timezone.now()
            directive.issued_by = by if getattr(by, "pk", None) else None
            directive.save()
        if created:
            audit.write(
                "create",
                directive,
                {"assignments": len(created), "units": len({a.unit_id for a in created})},
                model="directives.assignment",
            )
    logger.info("directive %s issued: %d new assignments", directive.pk, len(created))
    return created
