"""Alert pages: the duty officer's live list, an alert's timeline, signed links, maintenance
windows, escalation policies and incidents.

Unit-owned rows come only through `visible_to(user)`, so another unit's alert, window,
policy or incident answers 404; acting on one checks `can_edit` and answers 403. The
city's own policies (no unit) are shown to everybody and changed by city administrators.
The signed-link pages work without logging in: the token is the permission.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citysoc.alerts import details, escalation, forms, incidents, intake, links
from citysoc.alerts.models import (
    Alert,
    AlertLog,
    EscalationPolicy,
    Incident,
    MaintenanceWindow,
)
from citysoc.core.tenancy import can_edit, scope_for
from citysoc.notify.models import Delivery

LIST_LIMIT = 200  # rows on the live list; the filters narrow it down
REFRESH_SECONDS = 10
EVENTS_SHOWN = 20
STATUS_ORDER = Case(
    When(status=Alert.Status.TRIGGERED, then=Value(0)),
    When(status=Alert.Status.ACKNOWLEDGED, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def _require_edit(user, unit) -> None:
    if not can_edit(user, unit):
        raise PermissionDenied(_("Your role in this unit is read-only."))


def _back(request, fallback: str, **kwargs):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback, **kwargs)


# ---- the live list -----------------------------------------------------------------------


def _filtered_alerts(request):
    filters = forms.AlertFilter(request.GET or None, user=request.user)
    queryset = Alert.objects.visible_to(request.user)
    status = forms.OPEN
    if filters.is_valid():
        data = filters.cleaned_data
        status = data["status"] or forms.OPEN
        if data["severity"]:
            queryset = queryset.filter(severity=data["severity"])
        if data["unit"]:
            queryset = queryset.filter(unit__path__startswith=data["unit"].path)
        if data["source"]:
            queryset = queryset.filter(source=data["source"])
    counts = _counts(queryset)
    if status == forms.OPEN:
        queryset = queryset.exclude(status=Alert.Status.RESOLVED)
    elif status != "all":
        queryset = queryset.filter(status=status)
    rows = queryset.select_related("unit", "source", "incident").order_by(
        STATUS_ORDER, "-last_seen", "-pk"
    )
    return filters, rows, counts


def _counts(queryset) -> dict[str, int]:
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return queryset.aggregate(
        triggered=Count("pk", filter=Q(status=Alert.Status.TRIGGERED)),
        acknowledged=Count("pk", filter=Q(status=Alert.Status.ACKNOWLEDGED)),
        resolved_today=Count("pk", filter=Q(status=Alert.Status.RESOLVED, resolved_at__gte=today)),
    )


def _row_context(request, rows) -> dict:
    rows = list(rows[: LIST_LIMIT + 1])
    editable = {
        a.unit_id for a in rows if can_edit(request.user, a.unit)
    }  # scope is cached: no query per row
    return {
        "alerts": rows[:LIST_LIMIT],
        "more": len(rows) > LIST_LIMIT,
        "editable_units": editable,
        "next": request.get_full_path(),
    }


@login_required
def home(request):
    filters, rows, counts = _filtered_alerts(request)
    context = {
        "filters": filters,
        "counts": counts,
        "refresh_seconds": REFRESH_SECONDS,
        "query": request.GET.urlencode(),
        **_row_context(request, rows),
    }
    return render(request, "alerts/alert_list.html", context)


@login_required
def alert_rows(request):
    """The list's rows and counts, for the page's refresh every REFRESH_SECONDS."""
    _filters, rows, counts = _filtered_alerts(request)
    context = _row_context(request, rows)
    # The buttons in the rows post back to the list itself, not to this endpoint.
    context["next"] = request.GET.get("next") or "/alerts/"
    html = render_to_string("alerts/_alert_rows.html", context, request=request)
    return JsonResponse({"rows": html, "counts": counts, "at": timezone.now().isoformat()})


# ---- one alert ---------------------------------------------------------------------------


def _visible_alert(request, pk: int) -> Alert:
    return get_object_or_404(
        Alert.objects.visible_to(request.user).select_related(
            "unit", "source", "incident", "escalation_policy"
        ),
        pk=pk,
    )


def timeline(alert: Alert) -> list[tuple[AlertLog, list[Delivery]]]:
    """The alert's timeline entries, each with the deliveries of the message it sent."""
    entries = list(alert.log.select_related("message"))
    deliveries: dict[int, list[Delivery]] = defaultdict(list)
    message_ids = {e.message_id for e in entries if e.message_id}
    for delivery in Delivery.objects.filter(message_id__in=message_ids).select_related(
        "channel", "channel__person"
    ):
        deliveries[delivery.message_id].append(delivery)
    return [(e, deliveries.get(e.message_id, []) if e.message_id else []) for e in entries]


@login_required
def alert_detail(request, pk: int):
    alert = _visible_alert(request, pk)
    steps = []
    if alert.escalation_policy_id:
        steps = escalation.steps_of([alert.escalation_policy_id]).get(
            alert.escalation_policy_id, []
        )
    next_step = (
        steps[alert.escalation_step]
        if alert.next_escalation_at and alert.escalation_step < len(steps)
        else None
    )
    context = {
        "alert": alert,
        "may_act": can_edit(request.user, alert.unit),
        "timeline": timeline(alert),
        "events": alert.events.order_by("-received_at", "-pk")[:EVENTS_SHOWN],
        "event_count": alert.events.count(),
        "details": details.rows(alert.details),
        "next_step": next_step,
        "note_form": forms.NoteForm(),
    }
    return render(request, "alerts/alert_detail.html", context)


def _act(request, pk: int, action: str):
    alert = _visible_alert(request, pk)
    _require_edit(request.user, alert.unit)
    who = incidents.display_name(request.user)
    done = (
        intake.acknowledge(alert, by=who)
        if action == "acknowledge"
        else intake.resolve(alert, by=who)
    )
    if done:
        text = _("Acknowledged: %(alert)s") if action == "acknowledge" else _("Resolved: %(alert)s")
        messages.success(request, text % {"alert": alert.summary})
    else:
        messages.warning(
            request,
            _("Nothing changed: the alert is already %(status)s.")
            % {"status": alert.get_status_display().lower()},
        )
    return _back(request, "alerts:alert-detail", pk=pk)


@login_required
@require_POST
def alert_ack(request, pk: int):
    return _act(request, pk, "acknowledge")


@login_required
@require_POST
def alert_resolve(request, pk: int):
    return _act(request, pk, "resolve")


@login_required
@require_POST
def alert_note(request, pk: int):
    alert = _visible_alert(request, pk)
    _require_edit(request.user, alert.unit)
    form = forms.NoteForm(request.POST)
    if form.is_valid():
        AlertLog.objects.create(
            alert=alert,
            at=timezone.now(),
            kind=AlertLog.Kind.NOTE,
            actor=incidents.display_name(request.user),
            text=form.cleaned_data["text"],
        )
    else:
        messages.error(request, _("The note is empty or too long (5000 characters at most)."))
    return redirect("alerts:alert-detail", pk=pk)


@login_required
@require_POST
def alert_promote(request):
    form = forms.PromoteForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose alerts of your own units to promote."))
        return _back(request, "alerts:home")
    try:
        incident = incidents.promote(
            form.cleaned_data["alert"], by=request.user, title=form.cleaned_data["title"]
        )
    except incidents.PromoteError as exc:
        messages.error(request, str(exc))
        return _back(request, "alerts:home")
    messages.success(request, _("Incident opened."))
    return redirect("incidents:detail", pk=incident.pk)


# ---- signed links ------------------------------------------------------------------------


def link(request, token: str):
    """Acknowledge or resolve from a notification: GET asks, POST does."""
    try:
        data = links.read(token)
    except links.LinkError as exc:
        return render(request, "alerts/link.html", {"error": str(exc)}, status=400)
    alert = Alert.objects.select_related("unit").filter(pk=data.alert_id).first()
    if alert is None:
        error = _("This alert no longer exists.")
        return render(request, "alerts/link.html", {"error": error}, status=404)
    done = False
    if request.method == "POST":
        # Kept as written (not translated): it is data, searched for in timelines.
        who = f"{data.person or 'someone'} (link)"
        act = intake.acknowledge if data.action == "acknowledge" else intake.resolve
        done = act(alert, by=who)
        alert.refresh_from_db()
    pending = (alert.status == Alert.Status.TRIGGERED) or (
        data.action == "resolve" and alert.status != Alert.Status.RESOLVED
    )
    context = {"alert": alert, "link": data, "done": done, "pending": pending}
    return render(request, "alerts/link.html", context)


# ---- maintenance windows -----------------------------------------------------------------


@login_required
def maintenance_list(request):
    now = timezone.now()
    windows = MaintenanceWindow.objects.visible_to(request.user).select_related("unit", "source")
    context = {
        "active": windows.filter(starts_at__lte=now, ends_at__gt=now),
        "upcoming": windows.filter(starts_at__gt=now).order_by("starts_at"),
        "past": windows.filter(ends_at__lte=now)[:50],
        "may_create": _may_edit_policy(request.user, None),
        "editable": {w.pk for w in windows if can_edit(request.user, w.unit)},
    }
    return render(request, "alerts/maintenance_list.html", context)


@login_required
def maintenance_create(request):
    form = forms.MaintenanceForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        window = form.save(commit=False)
        _require_edit(request.user, window.unit)
        window.created_by = request.user
        window.save()
        messages.success(
            request, _("Maintenance window saved: nobody is notified for it while it is on.")
        )
        return redirect("alerts:maintenance-list")
    return render(request, "alerts/maintenance_form.html", {"form": form})


@login_required
@require_POST
def maintenance_end(request, pk: int):
    window = get_object_or_404(MaintenanceWindow.objects.visible_to(request.user), pk=pk)
    _require_edit(request.user, window.unit)
    now = timezone.now()
    if window.ends_at > now:
        old_end = window.ends_at
        window.ends_at = now
        window.starts_at = min(window.starts_at, now)
        window.save(update_fields=["starts_at", "ends_at"])
        # Alerts the window paused wait for its old end: their next step is due now.
        paused = Alert.objects.filter(
            unit_id=window.unit_id, status=Alert.Status.TRIGGERED, next_escalation_at=old_end
        )
        if window.source_id:
            paused = paused.filter(source_id=window.source_id)
        paused.update(next_escalation_at=now)
        messages.success(request, _("Maintenance ended: notifications are back on."))
    return redirect("alerts:maintenance-list")


# ---- escalation policies -----------------------------------------------------------------


def _visible_policies(user):
    return EscalationPolicy.objects.filter(
        Q(unit__isnull=True) | Q(pk__in=EscalationPolicy.objects.visible_to(user).values("pk"))
    )


def _may_edit_policy(user, policy: EscalationPolicy | None) -> bool:
    scope = scope_for(user)
    if policy is None:  # making a new one: any editing role, for its own units
        return scope.everything or bool(scope.edit_paths)
    if policy.unit is None:
        return scope.is_city
    return can_edit(user, policy.unit)


@login_required
def policy_list(request):
    escalation.default_policy()
    policies = (
        _visible_policies(request.user).select_related("unit").prefetch_related("steps__channel")
    )
    context = {
        "policies": policies,
        "may_create": _may_edit_policy(request.user, None),
    }
    return render(request, "alerts/policy_list.html", context)


@login_required
def policy_edit(request, pk: int | None = None):
    policy = get_object_or_404(_visible_policies(request.user), pk=pk) if pk else None
    may_edit = _may_edit_policy(request.user, policy)
    if request.method == "POST" and not may_edit:
        raise PermissionDenied(
            _(
                "Only the unit's editors (the city's administrators for a city policy) "
                "change this policy."
            )
        )
    form = forms.PolicyForm(request.POST or None, instance=policy, user=request.user)
    steps = forms.StepFormSet(
        request.POST or None, instance=policy, form_kwargs={"user": request.user}
    )
    if request.method == "POST" and form.is_valid() and steps.is_valid():
        saved = _save_policy(request, form, steps)
        messages.success(request, _("Saved %(object)s.") % {"object": saved.name})
        return redirect("alerts:policy-list")
    context = {"form": form, "steps": steps, "policy": policy, "may_edit": may_edit}
    return render(request, "alerts/policy_form.html", context)


def _save_policy(request, form, steps) -> EscalationPolicy:
    unit = form.cleaned_data.get("unit")
    if unit is None and not scope_for(request.user).is_city:
        raise PermissionDenied(_("Only the city's administrators make city policies."))
    if unit is not None:
        _require_edit(request.user, unit)
    with transaction.atomic():
        policy = form.save()
        if policy.is_default:
            # One default per unit (or for the city): the newest choice wins.
            EscalationPolicy.objects.filter(unit=policy.unit, is_default=True).exclude(
                pk=policy.pk
            ).update(is_default=False)
        steps.instance = policy
        _save_steps(steps)
    return policy


def _save_steps(steps) -> None:
    objects = steps.save(commit=False)
    for obj in steps.deleted_objects:
        obj.delete()
    # Positions are unique per policy: park the changed rows on free numbers first so that
    # swapping two steps' order does not trip the constraint half-way.
    for i, obj in enumerate(objects):
        if obj.pk:
            type(obj).objects.filter(pk=obj.pk).update(position=1000 + i)
    for obj in objects:
        obj.policy = steps.instance
        obj.save()


# ---- incidents ---------------------------------------------------------------------------


def _visible_incident(request, pk: int) -> Incident:
    return get_object_or_404(
        Incident.objects.visible_to(request.user).select_related("unit"), pk=pk
    )


@login_required
@require_POST
def incident_note(request, pk: int):
    incident = _visible_incident(request, pk)
    _require_edit(request.user, incident.unit)
    form = forms.IncidentNoteForm(request.POST, incident=incident)
    if form.is_valid():
        incidents.add_note(
            incident,
            by=request.user,
            text=form.cleaned_data["text"],
            status=form.cleaned_data["status"],
        )
    else:
        messages.error(
            request,
            " ".join(str(e) for e in form.errors.get("__all__", [])) or _("Check the note."),
        )
    return redirect("incidents:detail", pk=pk)
