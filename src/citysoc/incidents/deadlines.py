"""Report deadlines of an incident, from the incident clocks of the rules in force on the day
it was detected.

The clocks are dated duty data of the compliance libraries (`Duty.clocks`, loaded by
`citysoc load-libraries`): TT 20/2017 (5 days to notify, Mẫu 03 at once when beyond the
unit's capacity, Mẫu 04 within 5 days after the response ends, Mẫu 05 before 20/06 and
15/12) while the NĐ 85 library is in force, NĐ 331/2026 Art. 31.2.d (immediately when
national security is affected, 24 h initial notice when serious, 72 h report) from
19/08/2026. Nothing here hard-codes a period: a new decree is a new library version.
A deadline is met by a report of an answering form marked sent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citysoc.alerts.models import Incident
from citysoc.compliance.duties import next_deadline
from citysoc.compliance.models import Duty
from citysoc.incidents import serious

# Which sent reports meet a clock started by each event.
MET_BY: dict[str, set[str]] = {
    "detected": {"notice", "03", "progress", "plan", "assistance", "04"},
    "serious": {"notice", "03"},
    "national-security-affected": {"notice", "03"},
    "beyond-own-capacity": {"03"},
    "response-ended": {"04"},
}
EVENT_LABELS = {
    "detected": _("Notify or report the incident"),
    "serious": _("Initial notice of a serious incident"),
    "national-security-affected": _("Report at once: national security or public order affected"),
    "beyond-own-capacity": _("Initial report (beyond the unit's own capacity)"),
    "response-ended": _("Closing report after the response ended"),
}
SUMMARY_EVENTS = {"half-year-summary", "year-summary"}


@dataclass(frozen=True)
class Deadline:
    """One report owed for an incident under one clock of the rules in force."""

    event: str
    label: str
    form: str
    to: str
    source: str
    due_at: dt.datetime
    immediately: bool
    met_at: dt.datetime | None

    def overdue(self, now: dt.datetime) -> bool:
        return self.met_at is None and self.due_at < now


def clock_duties(on: dt.date) -> list[Duty]:
    """Duties with incident clocks valid on `on` (their own dates and their library's)."""
    rows = (
        Duty.objects.filter(library__valid_from__lte=on)
        .filter(Q(library__valid_to__isnull=True) | Q(library__valid_to__gte=on))
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .select_related("library")
        .order_by("library__valid_from", "code")
    )
    return [duty for duty in rows if duty.clocks]


def _applies(event: str, incident: Incident) -> bool:
    if event == "serious":
        return is_serious(incident)
    if event == "national-security-affected":
        return incident.national_security
    if event == "beyond-own-capacity":
        return incident.beyond_capacity
    if event == "response-ended":
        return incident.response_ended_at is not None
    return event == "detected"


def _start(event: str, incident: Incident) -> dt.datetime:
    if event == "response-ended" and incident.response_ended_at is not None:
        return incident.response_ended_at
    return incident.detected


def _within(clock: dict) -> dt.timedelta:
    return dt.timedelta(hours=clock.get("within_hours") or 0, days=clock.get("within_days") or 0)


def max_level(incident: Incident) -> int | None:
    levels = [s.level for s in incident.systems.all() if s.level]
    return max(levels) if levels else None


def is_serious(incident: Incident) -> bool:
    return serious.is_serious(
        incident.serious_criteria,
        beyond_capacity=incident.beyond_capacity,
        max_level=max_level(incident),
    )


def sent_reports(incident: Incident) -> list[tuple[str, dt.datetime]]:
    return sorted((r.form, r.sent_at) for r in incident.reports.all() if r.sent_at is not None)


def deadlines_for(incident: Incident, cache: dict | None = None) -> list[Deadline]:
    """Every deadline the incident owes under the rules in force on its detection day,
    soonest first. A list passes one `cache` dict for all its cases: one query per day."""
    day = timezone.localdate(incident.detected)
    sent = sent_reports(incident)
    found = []
    if cache is None:
        duties = clock_duties(day)
    else:
        duties = cache[day] if day in cache else cache.setdefault(day, clock_duties(day))
    for duty in duties:
        for clock in duty.clocks:
            event = clock.get("event", "")
            if event in SUMMARY_EVENTS or "by" in clock or not _applies(event, incident):
                continue
            met = [at for form, at in sent if form in MET_BY.get(event, set())]
            found.append(
                Deadline(
                    event=event,
                    label=str(EVENT_LABELS.get(event, event)),
                    form=clock.get("form", ""),
                    to=clock.get("to", ""),
                    source=clock.get("source", ""),
                    due_at=_start(event, incident) + _within(clock),
                    immediately=_within(clock) == dt.timedelta(0),
                    met_at=min(met) if met else None,
                )
            )
    return sorted(found, key=lambda d: d.due_at)


def report_due(incident: Incident, cache: dict | None = None) -> dt.datetime | None:
    """The earliest deadline not yet met (None when every report owed was sent)."""
    open_ = [d.due_at for d in deadlines_for(incident, cache) if d.met_at is None]
    return min(open_) if open_ else None


def is_overdue(
    incident: Incident, now: dt.datetime | None = None, cache: dict | None = None
) -> bool:
    now = now or timezone.now()
    return any(d.overdue(now) for d in deadlines_for(incident, cache))


@dataclass(frozen=True)
class SummaryDue:
    """The next periodic summary (Mẫu 05) of the rules in force."""

    event: str
    due_on: dt.date
    form: str
    to: str
    source: str


def summaries_due(today: dt.date) -> list[SummaryDue]:
    """The next 6-monthly and yearly summaries owed under the rules in force `today`."""
    found = []
    for duty in clock_duties(today):
        for clock in duty.clocks:
            if clock.get("event") in SUMMARY_EVENTS and clock.get("by"):
                found.append(
                    SummaryDue(
                        event=clock["event"],
                        due_on=next_deadline(clock["by"], today),
                        form=clock.get("form", ""),
                        to=clock.get("to", ""),
                        source=clock.get("source", ""),
                    )
                )
    return sorted(found, key=lambda s: s.due_on)
