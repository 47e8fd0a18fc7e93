"""Where each unit stands: hosts swept, infected, cleaned, and hosts never reported.

A host is *swept* once any result of it came in (in the period asked), *infected* while its
latest result is infected, and *cleaned* when an earlier result was infected and the
latest is clean. "Not swept" ("chưa rà soát") is every host of the unit without a result
in the period: enrolled hosts that never reported and hosts with no agent at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from citysoc.core.models import Unit
from citysoc.inventory.models import Host
from citysoc.sweep.models import Result, Verdict

if TYPE_CHECKING:
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    class _Swept(TypedDict):
        latest: str | None
        was_infected: bool
        swept: bool

    # Hosts annotated by annotated_hosts().
    SweptHosts = QuerySet[WithAnnotations[Host, _Swept]]


@dataclass(frozen=True)
class UnitFigures:
    unit: Unit
    hosts: int
    swept: int
    infected: int
    cleaned: int

    @property
    def not_swept(self) -> int:
        return self.hosts - self.swept


def annotated_hosts(hosts: QuerySet[Host], since: dt.datetime | None = None) -> SweptHosts:
    """Hosts with `latest` (verdict of the newest result), `was_infected` and `swept`."""
    results = Result.objects.filter(host_id=OuterRef("pk"))
    if since is not None:
        results = results.filter(finished_at__gte=since)
    return hosts.annotate(
        latest=Subquery(results.order_by("-finished_at", "-id").values("verdict")[:1]),
        was_infected=Exists(
            Result.objects.filter(host_id=OuterRef("pk"), verdict=Verdict.INFECTED)
        ),
        swept=Exists(results),
    )


def figures(units: list[Unit], since: dt.datetime | None = None) -> list[UnitFigures]:
    """One row per unit (its own hosts and those of the units under it)."""
    rows = []
    for unit in units:
        hosts = annotated_hosts(Host.objects.filter(unit__path__startswith=unit.path), since)
        values = list(hosts.values_list("latest", "was_infected", "swept"))
        rows.append(
            UnitFigures(
                unit=unit,
                hosts=len(values),
                swept=sum(1 for _l, _w, swept in values if swept),
                infected=sum(1 for latest, _w, _s in values if latest == Verdict.INFECTED),
                cleaned=sum(1 for latest, was, _s in values if was and latest == Verdict.CLEAN),
            )
        )
    return rows


def not_swept(hosts: QuerySet[Host], since: dt.datetime | None = None) -> SweptHosts:
    return annotated_hosts(hosts, since).filter(swept=False).select_related("unit")


def area(unit: Unit):
    """The directive's malware item: swept / infected / cleaned of the unit's hosts."""
    from citysoc.directives.area_figures import AreaProgress
    from citysoc.directives.models import ActionItem

    row = figures([unit])[0]
    summary = _(
        "%(swept)d of %(hosts)d hosts swept, %(infected)d infected, %(cleaned)d cleaned, "
        "%(missing)d not swept"
    ) % {
        "swept": row.swept,
        "hosts": row.hosts,
        "infected": row.infected,
        "cleaned": row.cleaned,
        "missing": row.not_swept,
    }
    url = f"{reverse('sweep:home')}?unit={unit.code}"
    return AreaProgress(label=str(ActionItem.Area.MALWARE.label), summary=summary, url=url)
