"""Notification pages: channels (with the Test button) and the outbox ("who was told").

Channels come only through `Channel.objects.visible_to(user)` and messages through
`Message.objects.visible_to(user)`, so another unit's object answers 404; changes check
`Channel.may_change` (the unit's editors; city-wide channels: city administrators) and
answer 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from citysoc.core import audit_display
from citysoc.core.listing import build_table
from citysoc.core.models import Unit
from citysoc.core.tenancy import scope_for
from citysoc.notify import configs, forms, outbox
from citysoc.notify.models import Channel, Delivery, Message
from citysoc.notify.topics import TEST_TOPIC

RECENT_DELIVERIES = 20
RECENT_TESTS = 5
Status = Delivery.Status


def _may_add_channels(user: Any) -> bool:
    return scope_for(user).is_city or Unit.objects.editable_by(user).exists()


def _channel(request: HttpRequest, pk: int, *, change: bool = False) -> Channel:
    channel = get_object_or_404(
        Channel.objects.visible_to(request.user).select_related("unit", "person"), pk=pk
    )
    if change and not channel.may_change(request.user):
        raise PermissionDenied(
            _("Only this unit's editors (city-wide channels: city administrators) change it.")
        )
    return channel


def settings_shown(channel: Channel) -> list[tuple[str, str]]:
    """The channel's settings for a page, secrets masked."""
    shown = configs.masked(channel.kind, channel.config)
    rows: list[tuple[str, str]] = []
    for key in configs.KEYS.get(channel.kind, ()):
        value = shown.get(key)
        if value in (None, "", [], {}):
            continue
        if isinstance(value, dict):
            value = "; ".join(f"{k}: {v}" for k, v in value.items())
        elif isinstance(value, list):
            value = ", ".join(value)
        rows.append((key, str(value)))
    return rows


# ---- channels ------------------------------------------------------------------------------


@login_required
def channel_list(request: HttpRequest) -> HttpResponse:
    channels = Channel.objects.visible_to(request.user).select_related("unit", "person")
    table = build_table(
        request.GET,
        channels,
        sort_fields={
            "name": ("name",),
            "unit": ("unit__path", "name"),
            "kind": ("kind", "name"),
            "delivered": ("last_ok_at",),
        },
        default_order=("unit__path", "name"),
    )
    rows = [(c, settings_shown(c), c.may_change(request.user)) for c in table.rows]
    context = {"table": table, "rows": rows, "may_add": _may_add_channels(request.user)}
    return render(request, "notify/channel_list.html", context)


@login_required
def channel_create(request: HttpRequest) -> HttpResponse:
    if not _may_add_channels(request.user):
        raise PermissionDenied(_("Your role is read-only: you cannot add channels."))
    kind = request.POST.get("kind") or request.GET.get("kind", "")
    if kind not in Channel.Kind.values or kind in configs.MANAGED:
        kinds = [(k, label) for k, label in Channel.Kind.choices if k not in configs.MANAGED]
        return render(request, "notify/channel_kind.html", {"kinds": kinds})
    initial: dict[str, Any] = {}
    if request.GET.get("person", "").isdigit():
        initial["person"] = int(request.GET["person"])
    form = forms.ChannelForm(request.POST or None, user=request.user, kind=kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        channel = form.save()
        messages.success(
            request, _("Saved %(object)s. Send a test to check it.") % {"object": channel.name}
        )
        return redirect("notify:channel-test", pk=channel.pk)
    context = {"form": form, "kind": kind, "kind_label": Channel.Kind(kind).label}
    return render(request, "notify/channel_form.html", context)


@login_required
def channel_edit(request: HttpRequest, pk: int) -> HttpResponse:
    channel = _channel(request, pk, change=True)
    form = forms.ChannelForm(None, instance=channel, user=request.user, kind=channel.kind)
    disable_form = forms.DisableForm()
    action = request.POST.get("action", "save")
    if request.method == "POST" and action == "enable":
        Channel.objects.filter(pk=pk).update(enabled=True, disabled_reason="")
        messages.success(request, _("Enabled %(object)s.") % {"object": channel.name})
        return redirect("notify:channel-edit", pk=pk)
    if request.method == "POST" and action == "disable":
        disable_form = forms.DisableForm(request.POST)
        if disable_form.is_valid():
            reason = disable_form.cleaned_data["reason"]
            Channel.objects.filter(pk=pk).update(enabled=False, disabled_reason=reason)
            messages.success(request, _("Disabled %(object)s.") % {"object": channel.name})
            return redirect("notify:channel-edit", pk=pk)
    elif request.method == "POST":
        form = forms.ChannelForm(
            request.POST, instance=channel, user=request.user, kind=channel.kind
        )
        if form.is_valid():
            form.save()
            messages.success(request, _("Saved %(object)s.") % {"object": channel.name})
            return redirect("notify:channel-edit", pk=pk)
    deliveries = (
        Delivery.objects.filter(channel=channel)
        .select_related("message")
        .order_by("-created_at", "-pk")[:RECENT_DELIVERIES]
    )
    context = {
        "channel": channel,
        "form": form,
        "disable_form": disable_form,
        "settings_shown": settings_shown(channel),
        "deliveries": deliveries,
    }
    return render(request, "notify/channel_edit.html", context)


@login_required
def channel_test(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the channel and its last tests; POST: send a test now and say how it went."""
    channel = _channel(request, pk, change=request.method == "POST")
    if request.method == "POST":
        _send_test(request, channel)
        return redirect("notify:channel-test", pk=pk)
    tests = (
        Message.objects.filter(topic=TEST_TOPIC, deliveries__channel=channel)
        .distinct()
        .prefetch_related(
            Prefetch("deliveries", queryset=Delivery.objects.filter(channel=channel))
        )[:RECENT_TESTS]
    )
    context = {
        "channel": channel,
        "tests": tests,
        "may_change": channel.may_change(request.user),
        "settings_shown": settings_shown(channel),
    }
    return render(request, "notify/channel_test.html", context)


def _send_test(request: HttpRequest, channel: Channel) -> None:
    if not channel.enabled:
        messages.error(request, _("This channel is disabled: enable it, then test it."))
        return
    now = timezone.localtime()
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[citysoc] Test message: %(name)s") % {"name": channel.name}
        body = _(
            "This is a test sent by %(user)s at %(time)s. If you read it, the channel "
            "%(name)s works."
        ) % {
            "user": request.user.get_username(),
            "time": f"{now:%d/%m/%Y %H:%M}",
            "name": channel.name,
        }
    message = outbox.enqueue(subject, body, [channel], topic=TEST_TOPIC, related=channel)
    report = outbox.send_message(message)
    results = [(d.recipient, d.status, d.shown_error) for d in message.deliveries.all()]
    if results and all(status == Status.SENT for _r, status, _e in results):
        messages.success(
            request, _("Test sent to %(to)s.") % {"to": ", ".join(r for r, _s, _e in results)}
        )
    elif not report.claimed and not any(
        status in (Status.DEAD, Status.FAILED) for _r, status, _e in results
    ):
        messages.warning(request, _("The worker is sending it right now: reload in a moment."))
    else:
        for recipient, status, error in results:
            if status != Status.SENT:
                messages.error(
                    request,
                    _("The test to %(to)s failed: %(error)s")
                    % {"to": recipient, "error": error or status},
                )


# ---- the outbox ----------------------------------------------------------------------------


def _outbox_rows(request: HttpRequest) -> tuple[forms.OutboxFilter, QuerySet[Message]]:
    user = request.user
    visible: QuerySet[Message] = Message.objects.visible_to(user)
    filters = forms.OutboxFilter(request.GET or None, user=user, messages=visible)
    deliveries = Delivery.objects.visible_to(user)
    matching = Q()
    if filters.is_valid():
        data = filters.cleaned_data
        if data["status"]:
            matching &= Q(status=data["status"])
        if data["channel"]:
            matching &= Q(channel=data["channel"])
        if data["q"]:
            matching &= Q(recipient__icontains=data["q"])
        if data["topic"]:
            visible = visible.filter(topic=data["topic"])
        visible = _in_dates(visible, data["since"], data["until"])
    if matching:
        visible = visible.filter(pk__in=deliveries.filter(matching).values("message_id"))
    shown = deliveries.select_related("channel__unit").order_by("pk")
    return filters, visible.prefetch_related(Prefetch("deliveries", queryset=shown))


def _in_dates(
    queryset: QuerySet[Message], since: dt.date | None, until: dt.date | None
) -> QuerySet[Message]:
    zone = timezone.get_current_timezone()
    if since:
        queryset = queryset.filter(created_at__gte=dt.datetime.combine(since, dt.time(), zone))
    if until:
        end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), zone)
        queryset = queryset.filter(created_at__lt=end)
    return queryset


@login_required
def outbox_list(request: HttpRequest) -> HttpResponse:
    filters, queryset = _outbox_rows(request)
    table = build_table(
        request.GET,
        queryset,
        sort_fields={"created": ("created_at",), "topic": ("topic", "-created_at")},
        default_order=("-created_at",),
    )
    return render(request, "notify/outbox.html", {"table": table, "filters": filters})


@login_required
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(Message.objects.visible_to(request.user), pk=pk)
    deliveries = list(
        Delivery.objects.visible_to(request.user)
        .filter(message=message)
        .select_related("channel__unit", "channel__person")
    )
    if request.method == "POST":
        _retry(request, deliveries)
        return redirect("notify:message-detail", pk=pk)
    rows = [
        (d, d.status in (Status.DEAD, Status.FAILED) and d.channel.may_change(request.user))
        for d in deliveries
    ]
    context = {
        "message": message,
        "rows": rows,
        "about": audit_display.type_label(message.related_type) if message.related_type else "",
    }
    return render(request, "notify/message_detail.html", context)


def _retry(request: HttpRequest, deliveries: list[Delivery]) -> None:
    wanted = request.POST.get("delivery", "")
    delivery = next((d for d in deliveries if str(d.pk) == wanted), None)
    if delivery is None:
        raise Http404
    if not delivery.channel.may_change(request.user):
        raise PermissionDenied(_("Only this unit's editors can send its notifications again."))
    if not delivery.channel.enabled:
        messages.error(request, _("The channel is disabled: enable it first, then retry."))
        return
    status = outbox.retry_now(delivery)
    if status == Status.SENT:
        messages.success(request, _("Sent to %(to)s.") % {"to": delivery.recipient})
    else:
        error = Delivery.objects.get(pk=delivery.pk).shown_error
        messages.error(
            request,
            _("Still not sent to %(to)s: %(error)s. The worker retries it on its schedule.")
            % {"to": delivery.recipient, "error": error or status},
        )
