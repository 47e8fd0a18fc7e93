"""What the rest of citysoc knows about a unit's progress on an item's area.

Shown beside the unit's own report, so the city can compare "done" with the data: an
inventory review is hard to call done while half the unit's systems lack an approved
level. An area whose app is not built yet says so plainly, rather than showing nothing,
so nobody takes a missing figure for a zero.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from citysoc.core.models import Unit
from citysoc.directives.area_figures import AreaProgress
from citysoc.directives.models import ActionItem


def _inventory(unit: Unit) -> AreaProgress:
    from citysoc.inventory.models import InformationSystem

    approved = Q(security_level__isnull=False, dossier_status=InformationSystem.Dossier.APPROVED)
    counts = InformationSystem.objects.filter(unit__path__startswith=unit.path).aggregate(
        total=Count("pk"), approved=Count("pk", filter=approved)
    )
    summary = _(
        "%(total)d information systems registered, %(missing)d without an approved level"
    ) % {
        "total": counts["total"],
        "missing": counts["total"] - counts["approved"],
    }
    url = f"{reverse('inventory:system-list')}?unit={unit.pk}&approved=no"
    return AreaProgress(label=str(ActionItem.Area.INVENTORY.label), summary=summary, url=url)


def _awareness(unit: Unit) -> AreaProgress:
    from citysoc.awareness.progress import unit_summary

    label = str(ActionItem.Area.AWARENESS.label)
    return AreaProgress(label=label, summary=unit_summary(unit), url=reverse("awareness:home"))


def _vulns(unit: Unit) -> AreaProgress:
    from django.utils import timezone

    from citysoc.vulns import figures
    from citysoc.vulns.models import Finding

    findings = Finding.objects.filter(unit__path__startswith=unit.path)
    s = figures.summary(findings, timezone.localdate())
    summary = _(
        "%(active)d open vulnerability findings (%(critical)d critical), %(kev)d known "
        "exploited, %(overdue)d overdue (%(overdue_kev)d known exploited); %(fixed)d fixed "
        "awaiting verification, %(mitigated)d verified fixed by a later scan"
    ) % {
        "active": s.active,
        "critical": s.critical,
        "kev": s.kev,
        "overdue": s.overdue,
        "overdue_kev": s.overdue_kev,
        "fixed": s.fixed_waiting,
        "mitigated": s.mitigated,
    }
    url = reverse("vulns:unit-detail", args=[unit.pk])
    return AreaProgress(label=str(ActionItem.Area.VULNS.label), summary=summary, url=url)


def _malware(unit: Unit) -> AreaProgress:
    from citysoc.sweep.progress import area

    return area(unit)


def _incidents(unit: Unit) -> AreaProgress:
    from citysoc.incidents.progress import unit_progress

    return unit_progress(unit, label=str(ActionItem.Area.INCIDENTS.label))


# One reader per area that citysoc tracks. Add a line here when an area's app (duty,
# intel's botnet clean-up, vulns, awareness, incidents) can count a unit's progress.


def _botnet(unit: Unit) -> AreaProgress:
    from django.utils import timezone

    from citysoc.intel.models import CleanupTask

    tasks = CleanupTask.objects.filter(unit__path__startswith=unit.path)
    is_open = Q(status__in=CleanupTask.OPEN_STATES)
    counts = tasks.aggregate(
        open=Count("pk", filter=is_open),
        overdue=Count("pk", filter=is_open & Q(due_date__lt=timezone.localdate())),
        cleaned=Count("pk", filter=Q(status=CleanupTask.Status.CLEANED)),
        verified=Count("pk", filter=Q(status=CleanupTask.Status.VERIFIED)),
    )
    summary = (
        _(
            "%(open)d botnet clean-up tasks open (%(overdue)d overdue), %(cleaned)d reported "
            "cleaned and awaiting the next list, %(verified)d verified clean"
        )
        % counts
    )
    url = f"{reverse('intel:task-list')}?unit={unit.pk}"
    return AreaProgress(label=str(ActionItem.Area.BOTNET.label), summary=summary, url=url)


def _duty(unit: Unit) -> AreaProgress:
    from django.utils import timezone

    from citysoc.duty import oncall
    from citysoc.duty.models import Roster

    coming = Roster.objects.filter(unit=unit, ends_on__gte=timezone.localdate())
    first = coming.order_by("starts_on", "pk").first()
    url = reverse("duty:home")
    label = str(ActionItem.Area.DUTY.label)
    if first is None:
        return AreaProgress(label, _("No duty roster for a current or coming period"), url)
    summary = _(
        "%(n)d duty rosters current or coming; the first, %(name)s (%(first)s – %(last)s), "
        "has %(gaps)d times with nobody on duty"
    ) % {
        "n": coming.count(),
        "name": first.name,
        "first": f"{first.starts_on:%d/%m/%Y}",
        "last": f"{first.ends_on:%d/%m/%Y}",
        "gaps": len(oncall.gaps(first)),
    }
    return AreaProgress(label, summary, reverse("duty:roster-detail", args=[first.pk]))


AREAS: dict[str, Callable[[Unit], AreaProgress]] = {
    ActionItem.Area.INVENTORY: _inventory,
    ActionItem.Area.BOTNET: _botnet,
    ActionItem.Area.DUTY: _duty,
    ActionItem.Area.AWARENESS: _awareness,
    ActionItem.Area.VULNS: _vulns,
    ActionItem.Area.MALWARE: _malware,
    ActionItem.Area.INCIDENTS: _incidents,
}


def progress_for(item: ActionItem, unit: Unit) -> AreaProgress | None:
    """The area's own figures for `unit`; None only when the item names no area."""
    if not item.area:
        return None
    reader = AREAS.get(item.area)
    if reader is not None:
        return reader(unit)
    return AreaProgress(
        label=item.get_area_display(),
        summary=_(
            "This area is not in citysoc yet, so there are no figures to compare: "
            "only the unit's own report counts."
        ),
        tracked=False,
    )
