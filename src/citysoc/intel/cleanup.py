"""Clean-up tasks: opened from sightings, prioritised, verified or reopened by the next list.

One task per (unit, address). A new list version (or a log scan) that shows the address
opens it, or reopens it when the unit had reported it cleaned and the new observation is
later than the cleaning. A task reported cleaned is *verified* when the next version of
the same source no longer lists the address and no log seen since the cleaning shows it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from django.conf import settings
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from citysoc.core import audit
from citysoc.core.models import AuditEntry, Person, Unit
from citysoc.intel.models import CleanupTask, ListVersion, Sighting
from citysoc.inventory.models import Host
from citysoc.notify import outbox, reach
from citysoc.notify.models import Channel

logger = logging.getLogger(__name__)

P = CleanupTask.Priority
DUE_DAYS: dict[int, int] = {P.URGENT: 3, P.HIGH: 7, P.MEDIUM: 14, P.LOW: 30}
CHUNK = 500
RECIPIENT_ROLES = (Person.Role.UNIT_ADMIN, Person.Role.OPERATOR, Person.Role.ISP_LIAISON)


def priority_for(
    *,
    is_c2: bool,
    family: str,
    times_listed: int,
    reopened: int,
    criticality: str,
    level: int | None,
) -> tuple[int, str]:
    """Score the task (C2/botnet family, recurrence, host criticality, system level).

    Returns (priority 1–4, the reasons as one line the unit can read).
    """
    score, reasons = 0, []
    if is_c2:
        score += 4
        reasons.append(_("the address is a C2 server"))
    elif family:
        score += 2
        reasons.append(_("botnet family %s") % family)
    else:
        score += 1
    if reopened:
        score += 2
        reasons.append(_("seen again after cleaning"))
    elif times_listed > 1:
        score += 1
        reasons.append(_("listed %d times") % times_listed)
    if criticality in ("high", "critical"):
        score += 1
        label = str(Host.Criticality(criticality).label).lower()
        reasons.append(_("host criticality %s") % label)
    if level and level >= 3:
        score += 2 if level >= 4 else 1
        reasons.append(_("system at security level %d") % level)
    if score >= 6:
        priority = P.URGENT
    elif score >= 4:
        priority = P.HIGH
    elif score >= 2:
        priority = P.MEDIUM
    else:
        priority = P.LOW
    return int(priority), "; ".join(reasons)


@dataclass
class Outcome:
    version_id: int
    opened: int = 0
    reopened: int = 0
    updated: int = 0
    verified: int = 0
    notify: dict[int, list[int]] = field(default_factory=dict)  # unit id → task ids


@dataclass(frozen=True, slots=True)
class Observation:
    """One address of one unit seen on a list, in a log or by the sweep: what a task needs."""

    unit_id: int
    host_id: int | None
    ip: str
    family: str
    is_c2: bool
    last_seen: dt.datetime | None

    @property
    def key(self) -> tuple[int, str]:
        return (self.unit_id, self.ip)

    @classmethod
    def of(cls, sighting: Sighting) -> Observation:
        return cls(
            unit_id=sighting.unit_id,
            host_id=sighting.host_id,
            ip=sighting.ip,
            family=sighting.family,
            is_c2=sighting.is_c2,
            last_seen=sighting.last_seen,
        )


@dataclass(frozen=True, slots=True)
class HostFacts:
    """What the inventory says about the host behind an address (it raises the priority)."""

    criticality: str = ""
    level: int | None = None


NO_HOST = HostFacts()
T = TypeVar("T")


def _chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _existing(keys: set[tuple[int, str]]) -> dict[tuple[int, str], CleanupTask]:
    ips = sorted({ip for _, ip in keys})
    found: dict[tuple[int, str], CleanupTask] = {}
    for chunk in _chunks(ips):
        for task in CleanupTask.objects.filter(ip__in=chunk):
            if (task.unit_id, task.ip) in keys:
                found[(task.unit_id, task.ip)] = task
    return found


def _host_facts(host_ids: set[int]) -> dict[int, HostFacts]:
    facts: dict[int, HostFacts] = {}
    for chunk in _chunks(sorted(host_ids)):
        rows = (
            Host.objects.filter(id__in=chunk)
            .annotate(level=Max("systems__security_level"))
            .values_list("id", "criticality", "level")
        )
        for host_id, criticality, level in rows:
            facts[host_id] = HostFacts(criticality, level)
    return facts


def apply_sightings(
    version: ListVersion, sightings: Sequence[Observation], outcome: Outcome
) -> None:
    """Open, update or reopen the task of every (unit, address) in `sightings`."""
    if not sightings:
        return
    today = timezone.localdate()
    tasks = _existing({s.key for s in sightings})
    facts = _host_facts({s.host_id for s in sightings if s.host_id})
    new: dict[tuple[int, str], CleanupTask] = {}
    changed: dict[int, CleanupTask] = {}
    for seen in sightings:
        host = facts.get(seen.host_id, NO_HOST) if seen.host_id else NO_HOST
        task = tasks.get(seen.key) or new.get(seen.key)
        if task is None:
            new[seen.key] = open_task(version, seen, host, today)
        elif task.pk is not None and task.pk not in changed:
            # (A task already new or changed in this batch: the same address twice.)
            if update_task(task, version, seen, host, today):
                outcome.reopened += 1
                outcome.notify.setdefault(task.unit_id, []).append(task.pk)
            changed[task.pk] = task
    _save(new, changed, outcome)


def open_task(
    version: ListVersion, seen: Observation, host: HostFacts, today: dt.date
) -> CleanupTask:
    """The (unsaved) task for an address of a unit that has none yet."""
    priority, reason = priority_for(
        is_c2=seen.is_c2,
        family=seen.family,
        times_listed=1,
        reopened=0,
        criticality=host.criticality,
        level=host.level,
    )
    return CleanupTask(
        unit_id=seen.unit_id,
        host_id=seen.host_id,
        ip=seen.ip,
        family=seen.family,
        priority=priority,
        priority_reason=reason,
        due_date=today + dt.timedelta(days=DUE_DAYS[priority]),
        opened_by_version=version,
        last_seen_version=version,
    )


def update_task(
    task: CleanupTask, version: ListVersion, seen: Observation, host: HostFacts, today: dt.date
) -> bool:
    """Count the new listing, reopen a cleaned task seen again, re-rank it. True: reopened."""
    reopen = _seen_again_after_cleaning(task, seen)
    if task.last_seen_version_id != version.pk:
        task.times_listed += 1
        task.last_seen_version = version
    task.family = task.family or seen.family
    task.host_id = task.host_id or seen.host_id
    if reopen:
        reopen_task(task)
    priority, reason = priority_for(
        is_c2=seen.is_c2,
        family=task.family,
        times_listed=task.times_listed,
        reopened=task.reopened_count,
        criticality=host.criticality,
        level=host.level,
    )
    if task.is_open and (reopen or priority < task.priority):
        # A reopened task gets a fresh deadline; an open one only ever moves it earlier.
        latest = dt.date.max if reopen else task.due_date
        task.priority, task.priority_reason = priority, reason
        task.due_date = min(latest, today + dt.timedelta(days=DUE_DAYS[priority]))
    return reopen


def reopen_task(task: CleanupTask) -> None:
    """The unit's cleaning did not hold: the task is open again, its verification void."""
    task.status = CleanupTask.Status.REOPENED
    task.reopened_count += 1
    task.verified_at = None
    task.verified_by_version = None


def _seen_again_after_cleaning(task: CleanupTask, seen: Observation) -> bool:
    cleaned = task.status in (CleanupTask.Status.CLEANED, CleanupTask.Status.VERIFIED)
    return cleaned and _after_cleaning(seen.last_seen, task.cleaned_at)


UPDATED_FIELDS = [
    "times_listed",
    "last_seen_version",
    "family",
    "host",
    "status",
    "reopened_count",
    "verified_at",
    "verified_by_version",
    "priority",
    "priority_reason",
    "due_date",
    "updated_at",
]


def _save(
    new: dict[tuple[int, str], CleanupTask], changed: dict[int, CleanupTask], outcome: Outcome
) -> None:
    created = CleanupTask.objects.bulk_create(list(new.values()), batch_size=CHUNK)
    if created and created[0].pk is None:
        # Backends without RETURNING ids: fetch them for the notifications.
        created = list(_existing(set(new)).values())
    for task in created:
        outcome.notify.setdefault(task.unit_id, []).append(task.pk)
    outcome.opened += len(created)
    outcome.updated += len(changed)
    CleanupTask.objects.bulk_update(list(changed.values()), UPDATED_FIELDS, batch_size=CHUNK)


def _after_cleaning(seen: dt.datetime | None, cleaned_at: dt.datetime | None) -> bool:
    """A new observation counts against a cleaning only if it is not older than it."""
    if cleaned_at is None or seen is None:
        return True
    return seen >= cleaned_at


def _list_sightings(version: ListVersion) -> list[Observation]:
    rows = Sighting.objects.filter(version=version, via=Sighting.Via.LIST).values_list(
        "unit_id", "host_id", "ip", "family", "is_c2", "last_seen"
    )
    return [Observation(*row) for row in rows]


def after_list_version(version: ListVersion) -> Outcome:
    """Tasks after a list version was matched: open/reopen from it, verify the cleaned."""
    outcome = Outcome(version.pk)
    sightings = _list_sightings(version)
    apply_sightings(version, sightings, outcome)
    outcome.verified = verify_cleaned(version, {s.key for s in sightings})
    _audit(version, outcome)
    return outcome


def verify_cleaned(version: ListVersion, listed: set[tuple[int, str]]) -> int:
    """Cleaned tasks of this source that the new version no longer lists become verified.

    Logs received since the cleaning must not show the address either.
    """
    cleaned = CleanupTask.objects.filter(
        status=CleanupTask.Status.CLEANED,
        last_seen_version__source_id=version.source_id,
        cleaned_at__lt=version.created_at,
    ).exclude(last_seen_version=version)
    candidates = [t for t in cleaned if (t.unit_id, t.ip) not in listed]
    # The latest log sighting of each candidate: one query per chunk, not one per task.
    last_in_logs: dict[tuple[int, str], dt.datetime] = {}
    for chunk in _chunks(candidates):
        rows = (
            Sighting.objects.filter(
                via=Sighting.Via.LOG,
                unit_id__in={t.unit_id for t in chunk},
                ip__in={t.ip for t in chunk},
            )
            .values("unit_id", "ip")
            .annotate(seen=Max("last_seen"))
            .values_list("unit_id", "ip", "seen")
        )
        last_in_logs.update({(unit_id, ip): seen for unit_id, ip, seen in rows})
    verified = []
    now = timezone.now()
    for task in candidates:
        seen = last_in_logs.get((task.unit_id, task.ip))
        if seen is not None and task.cleaned_at is not None and seen >= task.cleaned_at:
            continue
        task.status = CleanupTask.Status.VERIFIED
        task.verified_at = now
        task.verified_by_version = version
        verified.append(task)
    CleanupTask.objects.bulk_update(
        verified, ["status", "verified_at", "verified_by_version", "updated_at"]
    )
    return len(verified)


def _audit(version: ListVersion, outcome: Outcome) -> None:
    if not (outcome.opened or outcome.reopened or outcome.verified):
        return
    audit.write(
        AuditEntry.Action.IMPORT,
        version,
        {
            "list": str(version),
            "tasks_opened": outcome.opened,
            "tasks_reopened": outcome.reopened,
            "tasks_verified": outcome.verified,
        },
    )


# ---- the unit's own work ---------------------------------------------------------------


def report_cleaned(task: CleanupTask, *, user, tool: str, findings: str) -> CleanupTask:
    """The unit says the host is clean: how, and what was found; verification follows."""
    task.status = CleanupTask.Status.CLEANED
    task.tool = tool.strip()
    task.findings = findings.strip()
    task.cleaned_at = timezone.now()
    task.cleaned_by = user
    task.save()
    return task


def start(task: CleanupTask) -> CleanupTask:
    if task.status in (CleanupTask.Status.OPEN, CleanupTask.Status.REOPENED):
        task.status = CleanupTask.Status.IN_PROGRESS
        task.save(update_fields=["status", "updated_at"])
    return task


# ---- notifications ------------------------------------------------------------------------


def notify_units(outcome: Outcome) -> int:
    """One message per unit listing its new and reopened tasks, through the outbox. Returns
    units told.

    A unit with notification channels is told through them; a unit without any, through
    its officers-by-e-mail channel (its people and security lead). A unit with neither is
    in the outbox as a failed delivery, and its tasks keep `notified_at` empty so the
    officer can see who was not told.
    """
    if not outcome.notify:
        return 0
    told = 0
    silent: list[int] = []
    channels: dict[int, list[Channel]] = {}
    for channel in Channel.objects.of_units(outcome.notify).filter(enabled=True):
        if channel.kind != Channel.Kind.PEOPLE and channel.unit_id is not None:
            channels.setdefault(channel.unit_id, []).append(channel)
    with translation.override(settings.LANGUAGE_CODE):
        for unit_id, task_ids in outcome.notify.items():
            tasks = list(CleanupTask.objects.filter(pk__in=task_ids).select_related("unit"))
            if not tasks:
                continue
            subject, body = _message(outcome, tasks)
            dedup_key = f"intel.cleanup:{outcome.version_id}:{unit_id}"
            if channels.get(unit_id):
                outbox.enqueue(
                    subject, body, channels[unit_id], topic="intel.cleanup", dedup_key=dedup_key
                )
            else:
                message = reach.tell_unit(
                    tasks[0].unit, subject, body, topic="intel.cleanup", dedup_key=dedup_key,
                    roles=RECIPIENT_ROLES, security_lead=True,
                )  # fmt: skip
                if not reach.reaches_someone(message):
                    silent.append(unit_id)
                    continue
            CleanupTask.objects.filter(pk__in=task_ids).update(notified_at=timezone.now())
            told += 1
    if silent:
        codes = Unit.objects.filter(pk__in=silent).values_list("code", flat=True)
        logger.warning(
            "%d unit(s) with new botnet clean-up tasks have no notification channel or e-mail "
            "address and were not told: %s. Add an e-mail to their people or security lead.",
            len(silent),
            ", ".join(sorted(codes)[:20]),
        )
    return told


def _message(outcome: Outcome, tasks: list[CleanupTask]) -> tuple[str, str]:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    lines = [
        f"- {t.ip} ({t.family or '?'}) — {t.get_priority_display()}, "
        + _("due %s") % t.due_date.strftime("%d/%m/%Y")
        + (f" — {t.get_status_display()}" if t.status == t.Status.REOPENED else "")
        for t in tasks
    ]
    listed_in = ListVersion.objects.get(pk=outcome.version_id)
    body = "\n".join(
        [
            _("Addresses of %(unit)s are on the botnet list %(list)s.")
            % {"unit": tasks[0].unit.name, "list": listed_in},
            _("Check and remove the malware on these machines, then report it in citysoc:"),
            "",
            *lines,
            "",
            f"{base}/intel/tasks/" if base else "",
        ]
    )
    subject = _("[citysoc] Botnet clean-up: %d address(es) to handle") % len(tasks)
    return subject, body
