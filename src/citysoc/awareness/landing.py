"""The awareness box of the dashboard: the courses the user still has to complete."""

from __future__ import annotations

from citysoc.awareness import learning
from citysoc.awareness.models import Enrolment


def box_for(user) -> list[Enrolment]:
    """The user's own open enrolments, soonest due first (empty: the box shows nothing)."""
    person = learning.person_of(user)
    if person is None:
        return []
    open_ones = person.enrolments.filter(status=Enrolment.Status.ASSIGNED)
    return list(open_ones.select_related("course").order_by("due_on", "pk")[:5])
