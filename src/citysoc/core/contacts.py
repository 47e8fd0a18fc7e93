"""Who hears about a unit's work by e-mail: one place for every reminder and notice."""

from __future__ import annotations

from collections.abc import Iterable

from citysoc.core.models import Person, Unit


def unit_emails(
    unit_ids: Iterable[int], roles: Iterable[str], *, security_lead: bool = False
) -> dict[int, list[str]]:
    """E-mail addresses per unit of its active people in `roles` (and, when asked, the
    unit's security lead). Units with no address are left out."""
    unit_ids = list(unit_ids)
    found: dict[int, set[str]] = {}
    people = Person.objects.filter(unit_id__in=unit_ids, role__in=list(roles), is_active=True)
    for unit_id, email in people.exclude(email="").values_list("unit_id", "email"):
        found.setdefault(unit_id, set()).add(email)
    if security_lead:
        leads = Unit.objects.filter(id__in=unit_ids).exclude(security_lead_email="")
        for unit_id, email in leads.values_list("id", "security_lead_email"):
            found.setdefault(unit_id, set()).add(email)
    return {unit_id: sorted(emails) for unit_id, emails in found.items()}
