"""The errors an import job keeps: the first IMPORT_MAX_ERRORS, then one line counting the rest.

A 300,000-row file with a bad column has 300,000 errors; kept whole they made a 31 MB
JSON field and a 31 MB download that nobody reads past the first screen. The first ones
show what to fix; the count says how much is left.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from citysoc.core import upload_limits

MORE = "more"  # the key of the last entry when errors were left out: how many


def capped(errors: list[dict[str, Any]], limit: int | None = None) -> list[dict[str, Any]]:
    """The first `limit` errors, plus an entry counting the others if there are more."""
    limit = upload_limits.max_errors() if limit is None else limit
    if len(errors) <= limit:
        return errors
    left_out = len(errors) - limit
    note = _(
        "…and %(n)d more errors, not listed: only the first %(limit)d are kept. Correct "
        "these and check the file again to see the next ones."
    ) % {"n": left_out, "limit": limit}
    return [*errors[:limit], {"sheet": "", "row": "", "column": "", "reason": note, MORE: left_out}]


def listed(stored: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The stored errors without the counting entry."""
    return [e for e in stored if MORE not in e]


def total(stored: list[dict[str, Any]]) -> int:
    """How many errors the check found, listed or not."""
    return sum(e.get(MORE, 1) for e in stored)
