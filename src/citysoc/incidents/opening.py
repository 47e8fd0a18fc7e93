"""Opening an incident: by hand, or from something another area found.

`open_from(source_obj, by=..., **fields)` is the one entry point other areas call: it
takes an alert, a clean-up task (intel), a website finding (webwatch), a vulnerability
finding (vulns) or any unit-owned row with a `unit` (a sweep hit later), opens the case in
that row's unit, copies what the row knows into observables and the timeline, and
records where it came from (`opened_from` = the row's model label and id). An alert is
linked to the case, and its own log stays readable in the case's timeline.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citysoc.alerts import incidents as alert_incidents
from citysoc.alerts.models import SEVERITIES, Alert, Incident, IncidentNote
from citysoc.incidents import observables
from citysoc.incidents.models import AffectedSystem

logger = logging.getLogger(__name__)
SEVERITY_VALUES = [value for value, _label in SEVERITIES]
CASE_FIELDS = {
    "kind", "description", "detected_at", "serious_criteria", "beyond_capacity",
    "national_security", "detection_method", "handling", "damage",
}  # fmt: skip


class OpenError(ValueError):
    """The source cannot open an incident; the message says why."""


def open_by_hand(unit, *, by, title: str, severity: str, **fields: Any) -> Incident:
    """A case a person opens: it counts as acknowledged at once."""
    with transaction.atomic():
        incident = Incident.objects.create(
            unit=unit,
            title=title[:300],
            severity=severity,
            created_by=by,
            opened_from="manual",
            **_case_fields(fields),
        )
        _fill_defaults(incident, acknowledged=by is not None)
        IncidentNote.objects.create(incident=incident, author=by, text=_("Opened by hand."))
    return incident


def open_from(source_obj: models.Model, *, by=None, title: str = "", **fields: Any) -> Incident:
    """Open an incident from `source_obj` (an alert, clean-up task, website or vulnerability
    finding, or any row with a `unit`); `fields` set the case (kind, description…)."""
    if isinstance(source_obj, Alert):
        return _from_alerts([source_obj], by=by, title=title, fields=fields)
    unit = getattr(source_obj, "unit", None)
    if unit is None:
        raise OpenError(_("This record belongs to no unit: open the incident by hand."))
    opener = OPENERS.get(source_obj._meta.label_lower, _generic)
    values = opener(source_obj)
    with transaction.atomic():
        incident = Incident.objects.create(
            unit=unit,
            title=(title or values["title"])[:300],
            severity=_severity(values.get("severity", "")),
            created_by=by,
            opened_from=f"{source_obj._meta.label_lower}:{source_obj.pk}",
            **_case_fields({"kind": values.get("kind", Incident.Kind.OTHER), **fields}),
        )
        _fill_defaults(incident, acknowledged=by is not None)
        for value in values.get("observables", []):
            _try_observable(incident, value)
        if values.get("system") is not None:
            add_system(incident, values["system"])
        IncidentNote.objects.create(
            incident=incident,
            author=by,
            text=_("Opened from %(what)s: %(name)s")
            % {"what": source_obj._meta.verbose_name, "name": values["title"]},
        )
    return incident


def open_from_alerts(alerts: list[Alert], *, by=None, title: str = "", **fields: Any) -> Incident:
    """Several alerts of one unit become one case (the alerts app's promotion, extended)."""
    return _from_alerts(alerts, by=by, title=title, fields=fields)


def _from_alerts(alerts: list[Alert], *, by, title: str, fields: dict) -> Incident:
    with transaction.atomic():
        incident = alert_incidents.promote(alerts, by=by, title=title)
        for name, value in _case_fields(fields).items():
            setattr(incident, name, value)
        incident.opened_from = f"alerts.alert:{alerts[0].pk}"
        incident.detected_at = fields.get("detected_at") or min(a.first_seen for a in alerts)
        incident.save()
        _fill_defaults(incident, acknowledged=by is not None)
        for alert in alerts:
            for value in (alert.src_ip, alert.dst_ip):
                if value:
                    _try_observable(incident, value)
    return incident


def _case_fields(fields: dict) -> dict:
    unknown = set(fields) - CASE_FIELDS
    if unknown:
        raise TypeError(f"unknown incident fields: {', '.join(sorted(unknown))}")
    return fields


def _fill_defaults(incident: Incident, *, acknowledged: bool) -> None:
    changed = []
    if incident.detected_at is None:
        incident.detected_at = incident.created_at
        changed.append("detected_at")
    if acknowledged and incident.acknowledged_at is None:
        incident.acknowledged_at = timezone.now()
        changed.append("acknowledged_at")
    if changed:
        incident.save(update_fields=changed)


def _severity(value: str) -> str:
    return value if value in SEVERITY_VALUES else "medium"


def _try_observable(incident: Incident, value: str) -> None:
    try:
        observables.add(incident, value)
    except observables.BadObservable:
        logger.info("incident %s: %r kept out of the observables", incident.pk, value)


def add_system(incident: Incident, system) -> AffectedSystem:
    """An inventory system as an affected system, with its current level."""
    found = AffectedSystem.objects.filter(incident=incident, system=system).first()
    return found or AffectedSystem.objects.create(
        incident=incident, system=system, name=system.name, level=system.security_level
    )


# --- what each kind of source knows ------------------------------------------------------


def _cleanup(task) -> dict:
    system = task.host.systems.order_by("-security_level").first() if task.host_id else None
    return {
        "title": _("Malware %(family)s on %(ip)s")
        % {"family": task.family or _("(unknown family)"), "ip": task.ip},
        "severity": "high",
        "kind": Incident.Kind.MALWARE,
        "observables": [task.ip],
        "system": system,
    }


def _webwatch(finding) -> dict:
    defaced = finding.check_name in ("defacement", "injected_links")
    return {
        "title": f"{finding.title} ({finding.monitor.url})",
        "severity": finding.severity,
        "kind": Incident.Kind.DEFACEMENT if defaced else Incident.Kind.OTHER,
        "observables": [finding.monitor.url],
    }


def _vuln(finding) -> dict:
    return {
        "title": finding.title,
        "severity": finding.severity,
        "kind": Incident.Kind.INTRUSION,
        "observables": [finding.address] if finding.address else [],
        "system": getattr(finding, "system", None),
    }


def _generic(row) -> dict:
    return {"title": str(row), "severity": getattr(row, "severity", ""), "observables": []}


OPENERS = {
    "intel.cleanuptask": _cleanup,
    "webwatch.finding": _webwatch,
    "vulns.finding": _vuln,
}
