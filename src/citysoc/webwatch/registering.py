"""Register a unit's public websites from its inventory domains."""

from __future__ import annotations

from django.db import transaction

from citysoc.core.models import Unit
from citysoc.inventory.models import Domain
from citysoc.webwatch.models import Monitor


def url_for(domain: Domain) -> str:
    """The domain's website: its recorded URL, else https://<domain>/."""
    return domain.url or f"https://{domain.name}/"


def unwatched_domains(unit: Unit):
    """The unit's own domains that no monitor of the unit watches yet."""
    watched = Monitor.objects.filter(unit=unit).values_list("url", flat=True)
    watched_ids = Monitor.objects.filter(unit=unit, domain__isnull=False).values("domain_id")
    domains = Domain.objects.filter(unit=unit).exclude(pk__in=watched_ids).order_by("name")
    urls = set(watched)
    return [d for d in domains if url_for(d) not in urls]


def initial_for(domain: Domain) -> dict:
    """The create form's pre-filled values for one domain."""
    return {
        "unit": domain.unit_id,
        "domain": domain.pk,
        "name": domain.name,
        "url": url_for(domain),
    }


def watch_domains(unit: Unit) -> list[Monitor]:
    """Create a monitor with the default settings for each unwatched domain of `unit`."""
    with transaction.atomic():
        return [
            Monitor.objects.create(unit=unit, domain=d, name=d.name, url=url_for(d))
            for d in unwatched_domains(unit)
        ]
