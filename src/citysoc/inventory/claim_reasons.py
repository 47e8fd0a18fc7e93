"""Why an address claim waits for the city, in words its own unit may read.

Kept apart from `claims` (which reads the inventory's models) so that the models can say
why an entry waits without importing the rules that judge it.
"""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.utils.translation import gettext as _

OVERLAP = "overlap"
TOO_WIDE = "too_wide"


class Claimed(Protocol):
    claim_reasons: list[str]


def max_prefix(version: int) -> int:
    """The widest block (as a prefix length) a unit may register without the city."""
    if version == 4:
        return int(settings.ADDRESS_CLAIM_MAX_PREFIX_V4)
    return int(settings.ADDRESS_CLAIM_MAX_PREFIX_V6)


def reason_texts(obj: Claimed) -> list[str]:
    """Why an entry waits (no other unit is named)."""
    texts = []
    for code in obj.claim_reasons or ():
        if code == OVERLAP:
            texts.append(_("overlaps another unit's registered space"))
        elif code == TOO_WIDE:
            version = getattr(obj, "version", 4)
            texts.append(
                _("wider than /%(prefix)d, the largest block a unit may register on its own")
                % {"prefix": max_prefix(version)}
            )
    return texts
