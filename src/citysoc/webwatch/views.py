"""Website pages: a unit's monitors, one monitor, one finding, the city board, public status.

Monitors and findings come only through `visible_to(user)`, so another unit's object
answers 404; changes check `can_edit` and answer 403. The public status page is the one
page without login: it shows a unit's monitors marked public, up/down and uptime only.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from citysoc.core.listing import build_table
from citysoc.core.models import Unit
from citysoc.core.tenancy import can_edit
from citysoc.inventory.models import Domain
from citysoc.webwatch import baseline, evidence, forms, health, registering, tasks, uptime
from citysoc.webwatch.models import SEVERITY_ORDER, CheckRun, Finding, Monitor

HISTORY_ROWS = 50
RANGES = {"24h": dt.timedelta(hours=24), "7d": dt.timedelta(days=7), "30d": dt.timedelta(days=30)}


def _with_uptime(monitors) -> list[Monitor]:
    monitors = list(monitors)
    figures = uptime.uptime_by_monitor(m.pk for m in monitors)
    for m in monitors:
        m.uptime = figures.get(m.pk, {})
    return monitors


def _with_state(monitors) -> list[Monitor]:
    """Uptime, state and the worst open findings of monitors annotated by `with_health`."""
    monitors = _with_uptime(monitors)
    for m in monitors:
        m.health = health.state_of(m)
    health.worst_findings(monitors)
    return monitors


def _require_edit(user, unit: Unit) -> None:
    if not can_edit(user, unit):
        raise PermissionDenied(_("Your role in this unit is read-only."))


@login_required
def home(request):
    # Worst first: a defaced or down site must not sit below the healthy ones.
    monitors = health.with_health(
        Monitor.objects.visible_to(request.user).select_related("unit")
    ).order_by("health_rank", "unit__path", "name", "pk")
    editable = Unit.objects.editable_by(request.user)
    context = {
        "monitors": _with_state(monitors),
        "may_create": editable.exists(),
        # One query for the badge; the watch-domains page also matches monitors by URL.
        "unwatched": Domain.objects.editable_by(request.user).filter(monitors=None).count(),
    }
    return render(request, "webwatch/home.html", context)


@login_required
def monitor_create(request):
    if not Unit.objects.editable_by(request.user).exists():
        raise PermissionDenied(_("Your role is read-only: you cannot add websites."))
    initial = {}
    domain_id = request.GET.get("domain", "")
    if domain_id.isdigit():
        domain = get_object_or_404(Domain.objects.editable_by(request.user), pk=int(domain_id))
        initial = registering.initial_for(domain)
    form = forms.MonitorForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        monitor = form.save()
        messages.success(request, _("Watching %(url)s.") % {"url": monitor.url})
        return redirect("webwatch:monitor-detail", pk=monitor.pk)
    suggestions = [
        d
        for u in Unit.objects.editable_by(request.user)[:20]
        for d in registering.unwatched_domains(u)
    ]
    return render(request, "webwatch/monitor_form.html", {"form": form, "suggestions": suggestions})


@login_required
def monitor_edit(request, pk: int):
    monitor = get_object_or_404(Monitor.objects.visible_to(request.user), pk=pk)
    _require_edit(request.user, monitor.unit)
    form = forms.MonitorForm(request.POST or None, instance=monitor, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved %(object)s.") % {"object": monitor.name})
        return redirect("webwatch:monitor-detail", pk=pk)
    return render(request, "webwatch/monitor_form.html", {"form": form, "object": monitor})


def _state_changes(monitor: Monitor, since) -> list[dict]:
    """The up/down changes of the monitor since `since`, newest first."""
    changes, previous = [], None
    runs = CheckRun.objects.filter(monitor=monitor, at__gte=since).order_by("at")
    for at, up, status in runs.values_list("at", "up", "status").iterator():
        if up != previous:
            changes.append({"at": at, "up": up, "status": status})
            previous = up
    return changes[::-1][:HISTORY_ROWS]


@login_required
def monitor_detail(request, pk: int):
    monitor = get_object_or_404(
        Monitor.objects.visible_to(request.user).select_related("unit", "domain", "baseline_by"),
        pk=pk,
    )
    chosen = request.GET.get("range", "24h")
    span = RANGES.get(chosen, RANGES["24h"])
    now = timezone.now()
    since = now - span
    points = uptime.response_series(monitor.pk, since=since, now=now)
    findings = list(monitor.findings.exclude(status=Finding.Status.RESOLVED))
    findings.sort(key=lambda f: (f.status != "open", SEVERITY_ORDER.get(f.severity, 9)))
    for f in findings:
        f.rows = evidence.rows(f.evidence)
        f.label = evidence.check_label(f.check_name)
    monitor.health = health.state_of(monitor)
    context = {
        "monitor": monitor,
        "uptime": uptime.uptime_by_monitor([monitor.pk], now=now)[monitor.pk],
        "chart": uptime.chart(points, since=since, now=now),
        "range": chosen if chosen in RANGES else "24h",
        "ranges": list(RANGES),
        "findings": findings,
        "resolved": monitor.findings.filter(status=Finding.Status.RESOLVED)[:20],
        "changes": _state_changes(monitor, since),
        "runs": monitor.runs.all()[:HISTORY_ROWS],
        "may_edit": can_edit(request.user, monitor.unit),
    }
    return render(request, "webwatch/monitor_detail.html", context)


@login_required
def monitor_check(request, pk: int):
    """GET: confirm; POST: queue a check of this monitor now."""
    monitor = get_object_or_404(Monitor.objects.visible_to(request.user), pk=pk)
    _require_edit(request.user, monitor.unit)
    if request.method == "POST":
        tasks.check_monitor.enqueue(monitor.pk)
        messages.success(
            request,
            _("A check of %(url)s is queued; this page shows it when done.") % {"url": monitor.url},
        )
        return redirect("webwatch:monitor-detail", pk=pk)
    return render(request, "webwatch/monitor_check.html", {"monitor": monitor})


@login_required
def monitor_baseline(request, pk: int):
    """GET: show what would be accepted; POST: accept the current page as the baseline."""
    monitor = get_object_or_404(Monitor.objects.visible_to(request.user), pk=pk)
    _require_edit(request.user, monitor.unit)
    if request.method == "POST":
        try:
            cleared = baseline.accept_current(monitor, by=request.user)
        except baseline.NoFingerprint as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("The current page is the new baseline; %(count)d finding(s) resolved.")
                % {"count": cleared},
            )
        return redirect("webwatch:monitor-detail", pk=pk)
    pending = baseline.answered_by_baseline(monitor.findings.all()).exclude(
        status=Finding.Status.RESOLVED
    )
    for f in pending:
        f.rows = evidence.rows(f.evidence)
    return render(
        request, "webwatch/monitor_baseline.html", {"monitor": monitor, "pending": pending}
    )


@login_required
def finding_detail(request, pk: int):
    finding = get_object_or_404(
        Finding.objects.visible_to(request.user).select_related("monitor__unit", "accepted_by"),
        pk=pk,
    )
    may_edit = can_edit(request.user, finding.unit)
    if request.method == "POST":
        _require_edit(request.user, finding.unit)
        if request.POST.get("action") == "accept" and finding.status == Finding.Status.OPEN:
            baseline.accept_finding(finding, by=request.user)
            messages.success(request, _("Accepted: no more alerts for this finding."))
        return redirect("webwatch:finding-detail", pk=pk)
    context = {
        "finding": finding,
        "monitor": finding.monitor,
        "rows": evidence.rows(finding.evidence),
        "label": evidence.check_label(finding.check_name),
        "may_edit": may_edit,
    }
    return render(request, "webwatch/finding_detail.html", context)


def _board(request):
    filters = forms.BoardFilter(request.GET or None, user=request.user)
    queryset = health.with_health(Monitor.objects.visible_to(request.user).select_related("unit"))
    if filters.is_valid():
        data = filters.cleaned_data
        if data["unit"]:
            queryset = queryset.filter(unit__path__startswith=data["unit"].path)
        if data["state"]:
            queryset = health.filter_state(queryset, data["state"])
        if data["severity"]:
            with_severity = Finding.objects.filter(
                status=Finding.Status.OPEN, severity=data["severity"]
            ).values("monitor_id")
            queryset = queryset.filter(pk__in=with_severity)
        if data["findings"]:
            queryset = queryset.filter(open_findings__gt=0)
    return filters, queryset


@login_required
def city(request):
    filters, queryset = _board(request)
    table = build_table(
        request.GET,
        queryset,
        sort_fields={
            "unit": ("unit__path", "name"),
            "name": ("name",),
            "state": ("health_rank", "-open_findings", "unit__path"),
            "findings": ("-open_findings", "unit__path"),
            "response": ("-last_response_ms",),
        },
        default_order=("health_rank", "-open_findings", "unit__path", "name"),
    )
    rows = _with_state(table.rows)
    visible = Monitor.objects.visible_to(request.user)
    context = {"table": table, "rows": rows, "filters": filters, "counts": health.counts(visible)}
    return render(request, "webwatch/city.html", context)


def status_page(request, code: str):
    """A unit's public status page: no login; only monitors marked public."""
    unit = get_object_or_404(Unit, code=code)
    monitors = list(Monitor.objects.filter(unit=unit, public=True, enabled=True))
    if not monitors:
        # A unit that publishes nothing has no page: its existence is not confirmed.
        raise Http404
    context = {"unit": unit, "monitors": _with_uptime(monitors), "now": timezone.now()}
    return render(request, "webwatch/status_page.html", context)


@login_required
def watch_domains(request):
    """Create monitors for every unwatched domain of one of the user's units."""
    form = forms.WatchDomainsForm(request.POST or request.GET or None, user=request.user)
    editable = Unit.objects.editable_by(request.user)
    if not editable.exists():
        raise PermissionDenied(_("Your role is read-only: you cannot add websites."))
    if request.method == "POST" and form.is_valid():
        created = registering.watch_domains(form.cleaned_data["unit"])
        messages.success(
            request, _("%(count)d website(s) added to the watch.") % {"count": len(created)}
        )
        return redirect("webwatch:home")
    units = [(u, registering.unwatched_domains(u)) for u in editable[:50]]
    return render(
        request,
        "webwatch/watch_domains.html",
        {"form": form, "units": [(u, d) for u, d in units if d]},
    )
