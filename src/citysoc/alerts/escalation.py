"""Escalation: tell the next people on an alert's policy until somebody acknowledges it.

The state lives in the alert row (`escalation_step`, `escalation_round`,
`next_escalation_at`), so timers survive restarts. `run_due()` runs every minute (and right
after an intake that opened alerts). For each due alert it claims the step with a
conditional UPDATE that also advances the state, then enqueues the notification and writes
the timeline, all in one transaction: two workers never run the same step, and a worker
killed half-way leaves nothing behind, so the step simply runs again. The outbox dedup key
per (alert, round, step) is the second guard: a step that runs again never sends twice.

Rules on top of the policy's steps:
- low urgency never escalates at night: steps after the first wait until `NIGHT_ENDS`;
- a maintenance window pauses a running escalation until the window ends;
- a storm is grouped: when a source has more alerts due in one run than its
  `notify_per_minute` allows, one message lists them all (every alert still gets its
  timeline entry pointing to that message).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from citysoc.alerts import messages
from citysoc.alerts.models import (
    Alert,
    AlertLog,
    AlertSource,
    EscalationPolicy,
    EscalationStep,
    MaintenanceWindow,
    Urgency,
)
from citysoc.alerts.steps import Reach, local_time, step_label
from citysoc.core.models import Person, Unit
from citysoc.duty import oncall
from citysoc.notify import outbox
from citysoc.notify.models import Message
from citysoc.notify.people import channels_for

log = logging.getLogger(__name__)

# Low-urgency alerts do not wake anybody: between these hours their later steps wait.
NIGHT_STARTS = dt.time(22, 0)
NIGHT_ENDS = dt.time(7, 0)
# Alerts handled per run; the rest are still due at the next minute's run.
RUN_LIMIT = 2000
# How far back "notifications sent for this source" are counted against notify_per_minute.
RATE_WINDOW = dt.timedelta(minutes=1)
TOPIC = "alerts.escalation"

T = EscalationStep.Target
DEFAULT_STEPS = [(T.ON_DUTY, 10), (T.UNIT_ADMINS, 15), (T.CITY_DUTY, 15)]


# ---- policies ----------------------------------------------------------------------------


def default_policy() -> EscalationPolicy:
    """The city's default policy, made on first use: the unit's person on duty, after 10
    minutes the unit's administrators, after 15 more the city duty officer; twice more."""
    policy = EscalationPolicy.objects.filter(unit__isnull=True, is_default=True).first()
    if policy is not None:
        return policy
    with transaction.atomic():
        policy = EscalationPolicy.objects.create(
            name=_("City default"), unit=None, is_default=True, repeat=2
        )
        EscalationStep.objects.bulk_create(
            EscalationStep(policy=policy, position=i, target=target, wait_minutes=wait)
            for i, (target, wait) in enumerate(DEFAULT_STEPS, 1)
        )
    log.info("created the city's default escalation policy (id %s)", policy.pk)
    return policy


def steps_of(policy_ids: Iterable[int]) -> dict[int, list[EscalationStep]]:
    steps: dict[int, list[EscalationStep]] = defaultdict(list)
    rows = EscalationStep.objects.filter(policy_id__in=set(policy_ids)).select_related("channel")
    for step in rows.order_by("policy_id", "position"):
        steps[step.policy_id].append(step)
    return steps


# ---- time rules --------------------------------------------------------------------------


def is_night(at: dt.datetime) -> bool:
    local = timezone.localtime(at).time()
    return local >= NIGHT_STARTS or local < NIGHT_ENDS


def morning_after(at: dt.datetime) -> dt.datetime:
    """The next NIGHT_ENDS (07:00 local) at or after `at`."""
    local = timezone.localtime(at)
    morning = dt.datetime.combine(local.date(), NIGHT_ENDS, tzinfo=local.tzinfo)
    if morning < local:
        morning += dt.timedelta(days=1)
    return morning


def _night_rule(alert: Alert, at: dt.datetime) -> dt.datetime:
    if alert.urgency == Urgency.LOW and is_night(at):
        return morning_after(at)
    return at


def maintenance_until(source: AlertSource, at: dt.datetime) -> dt.datetime | None:
    """When the maintenance windows covering `source` now end; None when none is on."""
    return MaintenanceWindow.objects.filter(
        Q(source=source) | Q(source__isnull=True, unit_id=source.unit_id),
        starts_at__lte=at,
        ends_at__gt=at,
    ).aggregate(end=Max("ends_at"))["end"]


# ---- who a step reaches ------------------------------------------------------------------


def unit_admins(unit: Unit) -> tuple[list[Person], Unit | None]:
    """The active administrators of the unit, else of the nearest unit above that has some."""
    current: Unit | None = unit
    while current is not None:
        people = list(
            Person.objects.filter(unit=current, role=Person.Role.UNIT_ADMIN, is_active=True)
        )
        if people:
            return people, current
        current = current.parent
    return [], None


def city_admins() -> list[Person]:
    return list(
        Person.objects.filter(
            role=Person.Role.CITY_ADMIN, is_active=True, unit__parent__isnull=True
        )
    )


def reach(step: EscalationStep, unit: Unit, at: dt.datetime) -> Reach:
    """Resolve a step's target to people and channels, noting every fallback taken."""
    result = Reach()
    if step.target == T.CHANNEL:
        if step.channel is not None:
            result.channels = [step.channel]
        else:
            result.notes.append(_("The step names no channel."))
        return result
    result.people, result.notes = _people(step.target, unit, at)
    if result.people:
        channels, result.unreachable = channels_for(result.people)
        result.channels = list({c.pk: c for c in channels}.values())
    return result


def _people(target: str, unit: Unit, at: dt.datetime) -> tuple[list[Person], list[str]]:
    notes: list[str] = []
    if target == T.ON_DUTY:
        people = oncall.on_duty(unit, at=at)
        if people:
            return people, notes
        notes.append(
            _("Nobody is on duty in %(unit)s: its administrators were told instead.")
            % {"unit": unit.name}
        )
        target = T.UNIT_ADMINS
    if target == T.UNIT_ADMINS:
        people, found_at = unit_admins(unit)
        if found_at is None:
            notes.append(_("%(unit)s has no unit administrator to tell.") % {"unit": unit.name})
        elif found_at.pk != unit.pk:
            notes.append(
                _("%(unit)s has no administrator: those of %(parent)s were told.")
                % {"unit": unit.name, "parent": found_at.name}
            )
        return people, notes
    people = oncall.city_duty_officers(at=at)
    if not people:
        people = city_admins()
        notes.append(_("No city duty officer on the roster: the city administrators were told."))
    return people, notes


# ---- running due steps -------------------------------------------------------------------


def due_alerts(now: dt.datetime) -> list[Alert]:
    """The triggered alerts whose next step is due, oldest first (what one run reads)."""
    return list(
        Alert.objects.filter(status=Alert.Status.TRIGGERED, next_escalation_at__lte=now)
        .select_related("source", "unit", "escalation_policy")
        .order_by("next_escalation_at", "pk")[:RUN_LIMIT]
    )


def run_due(now: dt.datetime | None = None) -> dict[str, int]:
    """Run every escalation step that is due; return counts of what happened."""
    now = now or timezone.now()
    default_policy()  # so that new installs have a policy before the first alert
    with translation.override(settings.LANGUAGE_CODE):
        counts = escalate(due_alerts(now), now=now)
    if any(counts.values()):
        log.info("escalation run: %s", dict(counts))
    return dict(counts)


def escalate(alerts: list[Alert], *, now: dt.datetime) -> Counter:
    """Run the due step of each alert (as read by `due_alerts`); skip any another run took."""
    counts: Counter = Counter()
    steps = steps_of(a.escalation_policy_id for a in alerts if a.escalation_policy_id)
    by_source: dict[int, list[Alert]] = defaultdict(list)
    for alert in alerts:
        by_source[alert.source_id].append(alert)
    for source_alerts in by_source.values():
        try:
            _escalate_source(source_alerts, steps, now, counts)
        except Exception:
            # One source's failure (a bug, a bad channel row) must not stop the others;
            # its alerts stay due and are retried at the next run.
            log.exception("escalation failed for source %s", source_alerts[0].source_id)
            counts["failed"] += len(source_alerts)
    return counts


def _escalate_source(
    alerts: list[Alert], steps: dict[int, list[EscalationStep]], now: dt.datetime, counts: Counter
) -> None:
    source = alerts[0].source
    paused_until = maintenance_until(source, now)
    ready = []
    for alert in alerts:
        if _held(alert, _steps_for(alert, steps), paused_until, now, counts):
            continue
        ready.append(alert)
    if not ready:
        return
    budget = source.notify_per_minute - sent_last_minute(source, now)
    if len(ready) <= budget:
        for alert in ready:
            _run_one(alert, _steps_for(alert, steps), now, counts)
        return
    groups: dict[tuple, list[Alert]] = defaultdict(list)
    for alert in ready:
        key = (alert.escalation_policy_id, alert.escalation_round, alert.escalation_step)
        groups[key].append(alert)
    for group in groups.values():
        _run_group(source, group, _steps_for(group[0], steps), now, counts)


def _steps_for(alert: Alert, steps: dict[int, list[EscalationStep]]) -> list[EscalationStep]:
    """The steps of the alert's policy; none without a policy (the alert is then stopped)."""
    if alert.escalation_policy_id is None:
        return []
    return steps.get(alert.escalation_policy_id, [])


def _held(
    alert: Alert,
    steps: list[EscalationStep],
    paused_until: dt.datetime | None,
    now: dt.datetime,
    counts: Counter,
) -> bool:
    """Stop, pause or defer an alert that must not notify now; True when it was held."""
    if not steps or alert.escalation_step >= len(steps):
        text = _("Escalation stopped: the policy has no step to run.")
        if _claim(alert, next_escalation_at=None):
            _log(alert, now, AlertLog.Kind.ESCALATED, text)
            counts["stopped"] += 1
        return True
    if paused_until is not None:
        text = _("Escalation paused by a maintenance window until %(end)s.") % {
            "end": local_time(paused_until)
        }
        if _claim(alert, next_escalation_at=paused_until):
            _log(alert, now, AlertLog.Kind.SILENCED, text)
            counts["paused"] += 1
        return True
    first = alert.escalation_round == 0 and alert.escalation_step == 0
    if not first and alert.urgency == Urgency.LOW and is_night(now):
        morning = morning_after(now)
        text = _("Low urgency: the next step waits until %(time)s.") % {"time": local_time(morning)}
        if _claim(alert, next_escalation_at=morning):
            _log(alert, now, AlertLog.Kind.ESCALATED, text)
            counts["deferred"] += 1
        return True
    return False


def _claim(alert: Alert, **changes) -> bool:
    """Move the alert's escalation state on, only if nobody else did since we read it."""
    claimed = Alert.objects.filter(
        pk=alert.pk,
        status=Alert.Status.TRIGGERED,
        next_escalation_at=alert.next_escalation_at,
        escalation_step=alert.escalation_step,
        escalation_round=alert.escalation_round,
    ).update(**changes)
    return bool(claimed)


def _advance(alert: Alert, steps: list[EscalationStep], now: dt.datetime) -> dict:
    """The state after running the alert's current step (next_escalation_at None: done)."""
    policy = alert.escalation_policy
    position, round_ = alert.escalation_step + 1, alert.escalation_round
    if position >= len(steps):
        position, round_ = 0, round_ + 1
    if policy is None or round_ > policy.repeat:
        return {"escalation_step": position, "escalation_round": round_, "next_escalation_at": None}
    wait = dt.timedelta(minutes=steps[alert.escalation_step].wait_minutes)
    return {
        "escalation_step": position,
        "escalation_round": round_,
        "next_escalation_at": _night_rule(alert, now + wait),
    }


def _run_one(alert: Alert, steps: list[EscalationStep], now: dt.datetime, counts: Counter):
    step = steps[alert.escalation_step]
    changes = _advance(alert, steps, now)
    with transaction.atomic():
        if not _claim(alert, **changes):
            counts["skipped"] += 1
            return
        who = reach(step, alert.unit, now)
        message = _enqueue(
            who,
            subject=messages.alert_subject(alert),
            body=messages.alert_body(alert, step, steps, who),
            dedup_key=f"alerts:escalation:{alert.pk}:{alert.escalation_round}:{step.position}",
            related=alert,
        )
        _log_step(alert, step, steps, who, message, now)
        _log_finished(alert, changes, now)
    counts["notified" if message else "unreachable"] += 1


def _run_group(
    source: AlertSource,
    alerts: list[Alert],
    steps: list[EscalationStep],
    now: dt.datetime,
    counts: Counter,
) -> None:
    step = steps[alerts[0].escalation_step]
    with transaction.atomic():
        claimed = []
        for alert in alerts:
            changes = _advance(alert, steps, now)
            if _claim(alert, **changes):
                claimed.append((alert, changes))
        counts["skipped"] += len(alerts) - len(claimed)
        if not claimed:
            return
        group = [a for a, _changes in claimed]
        digest = hashlib.sha1(",".join(str(a.pk) for a in group).encode()).hexdigest()[:16]  # noqa: S324 - a key, not a secret
        who = reach(step, source.unit, now)
        message = _enqueue(
            who,
            subject=messages.group_subject(source, group),
            body=messages.group_body(source, group, step, steps),
            dedup_key=(
                f"alerts:group:{source.pk}:{group[0].escalation_round}:{step.position}:{digest}"
            ),
            related=source,
        )
        for alert, changes in claimed:
            _log_step(alert, step, steps, who, message, now, grouped=len(group))
            _log_finished(alert, changes, now)
    counts["grouped_messages"] += 1
    counts["grouped_alerts"] += len(group)


def sent_last_minute(source: AlertSource, now: dt.datetime) -> int:
    """Notifications already sent for this source within RATE_WINDOW before `now`."""
    return (
        AlertLog.objects.filter(
            alert__source=source,
            kind__in=[AlertLog.Kind.NOTIFIED, AlertLog.Kind.ESCALATED],
            message__isnull=False,
            at__gt=now - RATE_WINDOW,
            at__lte=now,
        )
        .values("message_id")
        .distinct()
        .count()
    )


def _enqueue(who: Reach, **kwargs) -> Message | None:
    if not who.channels:
        return None  # the timeline says nobody could be reached
    return outbox.enqueue(channels=who.channels, topic=TOPIC, **kwargs)


# ---- timeline ----------------------------------------------------------------------------


def _log(alert: Alert, at: dt.datetime, kind: str, text: str, message=None) -> None:
    AlertLog.objects.create(
        alert=alert, at=at, kind=kind, actor="citysoc", text=text, message=message
    )


def _log_step(alert, step, steps, who: Reach, message, now, *, grouped: int = 0) -> None:
    if message is not None and AlertLog.objects.filter(alert=alert, message=message).exists():
        return  # this step already ran and was recorded: a re-run writes nothing twice
    first = alert.escalation_round == 0 and alert.escalation_step == 0
    repeat = alert.escalation_policy.repeat if alert.escalation_policy else 0
    lines = [step_label(step, steps, alert.escalation_round, repeat)]
    if who.people:
        lines.append(
            _("Told: %(people)s.") % {"people": ", ".join(p.full_name for p in who.people)}
        )
    if who.unreachable:
        names = ", ".join(p.full_name for p in who.unreachable)
        lines.append(_("No channel reaches: %(people)s.") % {"people": names})
    if message is None:
        lines.append(_("Nobody could be notified: add a channel or a person on duty."))
    if grouped > 1:
        lines.append(
            _("Grouped with %(n)s other alerts of the same source in one message.")
            % {"n": grouped - 1}
        )
    lines.extend(who.notes)
    kind = AlertLog.Kind.NOTIFIED if first else AlertLog.Kind.ESCALATED
    _log(alert, now, kind, "\n".join(lines), message)


def _log_finished(alert: Alert, changes: dict, now: dt.datetime) -> None:
    if changes["next_escalation_at"] is None:
        _log(
            alert,
            now,
            AlertLog.Kind.ESCALATED,
            _("Escalation finished: every step and repeat ran and nobody acknowledged."),
        )


# The worker's job lives beside the rules it runs, so the intake can ask for a run now
# (`intake._kick_escalation`) without importing the alerts' task module, which imports the
# heartbeats, which raise alerts through the intake. `alerts.tasks` re-exports it for the
# scheduler.
@task()
def escalate_due() -> dict[str, int]:
    return run_due()
