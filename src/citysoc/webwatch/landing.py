"""The dashboard's websites box: the user's monitored sites by state."""

from __future__ import annotations

from citysoc.webwatch import health
from citysoc.webwatch.models import Monitor


def box_for(user) -> dict[str, int]:
    """The same states the website board shows: a defaced site counts, not only a down one."""
    return health.counts(Monitor.objects.visible_to(user))
