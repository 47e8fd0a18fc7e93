"""Clean-up tasks: opened from sightings, prioritised, verified or reopened by the next list.

One task per (unit, address). A new list version (or a log scan) that shows the address
opens it, or reopens it when the unit had reported it cleaned and the new observation is
later than the cleaning. A task reported cleaned is *verified* when the next version of
the same source no longer lists the address and no log seen since the cleaning shows it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from citysoc.core import audit, delivery_problems
from citysoc.core.contacts import unit_emails
from citysoc.core.delivery_problems import Problem
from citysoc.core.models import AuditEntry, Person, Unit
from citysoc.intel.models import CleanupTask, ListVersion, Sighting
from citysoc.inventory.models import Host

logger = logging.getLogger(__name__)
TOPIC = "intel.cleanup"  # for citysoc.core.delivery_problems

P = CleanupTask.Priority
DUE_DAYS = {P.URGENT: 3, P.HIGH: 7, P.MEDIUM: 14, P.LOW: 30}
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
        reasons.append(_("host criticality %s") % criticality)
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


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
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


def _host_facts(host_ids: set[int]) -> dict[int, tuple[str, int | None]]:
    facts: dict[int, tuple[str, int | None]] = {}
    for chunk in _chunks(sorted(host_ids)):
        rows = (
            Host.objects.filter(id__in=chunk)
            .annotate(level=Max("systems__security_level"))
            .values_list("id", "criticality", "level")
        )
        for host_id, criticality, level in rows:
            facts[host_id] = (criticality, level)
    return facts


def apply_sightings(version: ListVersion, sightings: list[dict], outcome: Outcome) -> None:
    """Open, update or reopen the task of every (unit, address) in `sightings`."""
    if not sightings:
        return
    today = timezone.localdate()
    keys = {(s["unit_id"], s["ip"]) for s in sightings}
    tasks = _existing(keys)
    facts = _host_facts({s["host_id"] for s in sightings if s["host_id"]})
    new: dict[tuple[int, str], CleanupTask] = {}
    changed: dict[int, CleanupTask] = {}
    for s in sightings:
        key = (s["unit_id"], s["ip"])
        criticality, level = facts.get(s["host_id"], ("", None))
        task = tasks.get(key) or new.get(key)
        if task is None:
            priority, reason = priority_for(
                is_c2=s["is_c2"],
                family=s["family"],
                times_listed=1,
                reopened=0,
                criticality=criticality,
                level=level,
            )
            new[key] = CleanupTask(
                unit_id=s["unit_id"],
                host_id=s["host_id"],
                ip=s["ip"],
                family=s["family"],
                priority=priority,
                priority_reason=reason,
                due_date=today + dt.timedelta(days=DUE_DAYS[priority]),
                opened_by_version=version,
                last_seen_version=version,
            )
            continue
        if task.pk is None or task.pk in changed and task.last_seen_version_id == version.pk:
            continue  # the same address twice in one batch
        reopen = task.status in (CleanupTask.Status.CLEANED, CleanupTask.Status.VERIFIED) and (
            _after_cleaning(s.get("last_seen"), task.cleaned_at)
        )
        if task.last_seen_version_id != version.pk:
            task.times_listed += 1
            task.last_seen_version = version
        task.family = task.family or s["family"]
        task.host_id = task.host_id or s["host_id"]
        if reopen:
            task.status = CleanupTask.Status.REOPENED
            task.reopened_count += 1
            task.verified_at = None
            task.verified_by_version = None
            outcome.reopened += 1
            outcome.notify.setdefault(task.unit_id, []).append(task.pk)
        priority, reason = priority_for(
            is_c2=s["is_c2"],
            family=task.family,
            times_listed=task.times_listed,
            reopened=task.reopened_count,
            criticality=criticality,
            level=level,
        )
        if task.is_open and (reopen or priority < task.priority):
            task.priority, task.priority_reason = priority, reason
            task.due_date = min(
                task.due_date if not reopen else dt.date.max,
                today + dt.timedelta(days=DUE_DAYS[priority]),
            )
        changed[task.pk] = task
    created = CleanupTask.objects.bulk_create(list(new.values()), batch_size=CHUNK)
    if created and created[0].pk is None:
        # Backends without RETURNING ids: fetch them for the notifications.
        created = list(_existing(set(new)).values())
    for task in created:
        outcome.notify.setdefault(task.unit_id, []).append(task.pk)
    outcome.opened += len(created)
    outcome.updated += len(changed)
    CleanupTask.objects.bulk_update(
        list(changed.values()),
        [
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
        ],
        batch_size=CHUNK,
    )


def _after_cleaning(seen, cleaned_at) -> bool:
    """A new observation counts against a cleaning only if it is not older than it."""
    if cleaned_at is None or seen is None:
        return True
    return seen >= cleaned_at


def _list_sightings(version: ListVersion) -> list[dict]:
    return list(
        Sighting.objects.filter(version=version, via=Sighting.Via.LIST).values(
            "unit_id", "host_id", "ip", "family", "is_c2", "last_seen"
        )
    )


def after_list_version(version: ListVersion) -> Outcome:
    """Tasks after a list version was matched: open/reopen from it, verify the cleaned."""
    outcome = Outcome(version.pk)
    sightings = _list_sightings(version)
    apply_sightings(version, sightings, outcome)
    outcome.verified = verify_cleaned(version, {(s["unit_id"], s["ip"]) for s in sightings})
    _audit(version, outcome)
    return outcome


def verify_cleaned(version: ListVersion, listed: set[tuple[int, str]]) -> int:
    """Cleaned tasks of this source that the new version no longer lists become verified.

    Logs received since the cleaning must not show the address either.
    """
    candidates = CleanupTask.objects.filter(
        status=CleanupTask.Status.CLEANED,
        last_seen_version__source_id=version.source_id,
        cleaned_at__lt=version.created_at,
    ).exclude(last_seen_version=version)
    candidates = [t for t in candidates if (t.unit_id, t.ip) not in listed]
    # The latest log sighting of each candidate: one query per chunk, not one per task.
    last_in_logs = {}
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
        if seen is not None and seen >= task.cleaned_at:
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
    """One message per unit listing its new and reopened tasks. Returns units told.

    A unit with notification channels is told through the outbox (its deliveries record
    who was told, when and how); a unit without any gets a plain e-mail to its people and
    security lead. A failed e-mail is logged and leaves `notified_at` empty so the officer
    can see who was not told.
    """
    if not outcome.notify:
        return 0
    from citysoc.notify import outbox
    from citysoc.notify.models import Channel

    told = 0
    silent: list[int] = []
    addresses = unit_emails(outcome.notify, RECIPIENT_ROLES, security_lead=True)
    channels: dict[int, list[Channel]] = {}
    for channel in Channel.objects.of_units(outcome.notify).filter(enabled=True):
        channels.setdefault(channel.unit_id, []).append(channel)
    with translation.override(settings.LANGUAGE_CODE):
        for unit_id, task_ids in outcome.notify.items():
            tasks = list(CleanupTask.objects.filter(pk__in=task_ids).select_related("unit"))
            if not tasks:
                continue
            subject, body = _message(outcome, tasks)
            if channels.get(unit_id):
                outbox.enqueue(
                    subject,
                    body,
                    channels[unit_id],
                    topic="intel.cleanup",
                    dedup_key=f"intel.cleanup:{outcome.version_id}:{unit_id}",
                )
            elif addresses.get(unit_id):
                try:
                    send_mail(subject, body, None, addresses[unit_id])
                except OSError as exc:
                    logger.exception("could not e-mail unit %s about its clean-up tasks", unit_id)
                    delivery_problems.record(unit_id, TOPIC, Problem.SEND_FAILED, str(exc))
                    continue
            else:
                silent.append(unit_id)
                delivery_problems.record(unit_id, TOPIC, Problem.NO_RECIPIENT)
                continue
            CleanupTask.objects.filter(pk__in=task_ids).update(notified_at=timezone.now())
            delivery_problems.clear([unit_id], TOPIC)
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
