"""Duty pages: home, the city's on-duty board, rosters and their editing, swaps, the log.

Unit-owned rows come only through `visible_to(user)`, so another unit's roster or log
answers 404; changes check `can_edit` on the roster's unit and answer 403.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from citysoc.core.models import Person, Unit
from citysoc.core.ordering import in_tree_order
from citysoc.core.tenancy import can_edit, scope_for
from citysoc.duty import (
    calendar_feed,
    forms,
    grid,
    oncall,
    rosters,
    schedule,
    swaps,
)
from citysoc.duty.models import Handover, Layer, Override, Roster, Shift, SwapRequest

UPCOMING_DAYS = 7
LOG_ON_PAGE = 200


def _require_edit(user, unit: Unit) -> None:
    if not can_edit(user, unit):
        raise PermissionDenied(_("You may read this unit's rosters but not change them."))


def _roster(request, pk: int, *, edit: bool = False) -> Roster:
    roster = get_object_or_404(
        Roster.objects.visible_to(request.user).select_related("unit"), pk=pk
    )
    if edit:
        _require_edit(request.user, roster.unit)
    return roster


def _my_people(user):
    return Person.objects.filter(user=user, is_active=True).select_related("unit")


# ---- home and board --------------------------------------------------------------------------


def _upcoming(people, now: dt.datetime) -> list[dict]:
    found = []
    for person in people:
        for rules, seg in calendar_feed.shifts_of(person, now, now + dt.timedelta(UPCOMING_DAYS)):
            found.append({"person": person, "roster": rules, "start": seg.start, "end": seg.end,
                          "shifts": seg.shifts})  # fmt: skip
    return sorted(found, key=lambda r: r["start"])


@login_required
def home(request):
    now = timezone.now()
    people = list(_my_people(request.user))
    my_units = Unit.objects.filter(pk__in={p.unit_id for p in people})
    visible = Roster.objects.visible_to(request.user).select_related("unit")
    today = timezone.localdate()
    context = {
        "now": now,
        "rows": oncall.board(my_units, now),
        "upcoming": _upcoming(people, now),
        "current": visible.filter(ends_on__gte=today).order_by("starts_on", "unit__path")[:50],
        "past": visible.filter(ends_on__lt=today)[:10],
        "swaps_for_me": SwapRequest.objects.filter(
            target__in=people, status=SwapRequest.Status.PENDING
        ).select_related("requester", "roster"),
        "handovers_for_me": Handover.objects.filter(
            to_person__in=people, acknowledged_at__isnull=True
        ).select_related("from_person", "unit"),
        "people": people,
        "may_create": bool(
            scope_for(request.user).edit_paths or scope_for(request.user).everything
        ),
    }
    return render(request, "duty/home.html", context)


@login_required
def board(request):
    now = timezone.now()
    units = in_tree_order(Unit.objects.visible_to(request.user))
    rows = oncall.board(units, now)
    context = {
        "now": now,
        "rows": rows,
        "uncovered": sum(1 for r in rows if r.uncovered),
        "officers": oncall.city_duty_officers(now) if scope_for(request.user).city_reader else [],
    }
    return render(request, "duty/board.html", context)


# ---- rosters ---------------------------------------------------------------------------------


def _editable_units(user):
    return Unit.objects.editable_by(user).order_by("path")


@login_required
def roster_edit(request, pk: int | None = None):
    roster = _roster(request, pk, edit=True) if pk else None
    units = _editable_units(request.user)
    if not units.exists():
        raise PermissionDenied(_("Your role can only read rosters."))
    form = forms.RosterForm(request.POST or None, instance=roster, units=units)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save()
            if roster is None:
                _start(saved, twelve_hours=bool(form.cleaned_data.get("twelve_hour_shifts")))
        messages.success(request, _("Saved %(object)s.") % {"object": saved.name})
        return redirect("duty:roster-detail", pk=saved.pk)
    return render(request, "duty/roster_form.html", {"form": form, "object": roster})


def _start(roster: Roster, *, twelve_hours: bool) -> None:
    """A new roster gets its base layer, and the two 12-hour shifts if asked."""
    layer = Layer.objects.create(roster=roster, name=_("Main"), level=1)
    if twelve_hours:
        for name, start, end in ((_("Day"), 7, 19), (_("Night"), 19, 7)):
            Shift.objects.create(
                roster=roster, layer=layer, name=name, repeat=Shift.Repeat.DAILY,
                start_time=dt.time(start), end_time=dt.time(end),
            )  # fmt: skip


def _month(request, roster: Roster) -> tuple[int, int]:
    raw = request.GET.get("month", "")
    try:
        year, month = (int(x) for x in raw.split("-"))
        dt.date(year, month, 1)
    except ValueError:
        today = timezone.localdate()
        inside = roster.starts_on <= today <= roster.ends_on
        day = today if inside else roster.starts_on
        year, month = day.year, day.month
    return year, month


def _week(request, roster: Roster) -> dt.date:
    try:
        day = dt.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        today = timezone.localdate()
        day = today if roster.starts_on <= today <= roster.ends_on else roster.starts_on
    return day - dt.timedelta(days=day.weekday())


def _calendar(request, roster: Roster, rules) -> dict:
    view = "week" if request.GET.get("view") == "week" else "month"
    if view == "week":
        first = _week(request, roster)
        last, shown = first + dt.timedelta(days=6), None
        prev = {"view": "week", "week": (first - dt.timedelta(days=7)).isoformat()}
        nxt = {"view": "week", "week": (first + dt.timedelta(days=7)).isoformat()}
        title = f"{first:%d/%m/%Y} – {last:%d/%m/%Y}"
    else:
        year, month = _month(request, roster)
        first, last = grid.month_days(year, month)
        shown = (
            dt.date(year, month, 1),
            (dt.date(year, month, 1) + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1),
        )
        before = dt.date(year, month, 1) - dt.timedelta(days=1)
        after = shown[1] + dt.timedelta(days=1)
        prev = {"view": "month", "month": f"{before:%Y-%m}"}
        nxt = {"view": "month", "month": f"{after:%Y-%m}"}
        title = f"{month:02d}/{year}"
    ids = {p for seg in schedule.timeline(rules, rules.start, rules.end) for p in seg.people}
    people = rosters.people_by_id(ids)
    weeks = grid.build(rules, first, last, people, shown)
    return {"view": view, "weeks": weeks, "prev": prev, "next": nxt, "title": title}


@login_required
def roster_detail(request, pk: int):
    roster = _roster(request, pk)
    rules = rosters.load(Roster.objects.filter(pk=roster.pk))[0]
    gaps = schedule.gaps(rules)
    now = timezone.now()
    on_now = (
        oncall.on_duty(roster.unit, now) if roster.period_start <= now < roster.period_end else []
    )
    context = {
        "roster": roster,
        "may_edit": can_edit(request.user, roster.unit),
        "gaps": gaps,
        "starts_later": roster.period_start > now,
        "on_now": on_now,
        "layers": roster.layers.all(),
        "shifts": roster.shifts.select_related("layer").prefetch_related("people"),
        "overrides": roster.overrides.select_related("person", "replaces"),
        "swaps": roster.swaps.select_related("requester", "target", "shift"),
        "calendar": _calendar(request, roster, rules),
        "weekday_names": [str(label) for _n, label in forms.WEEKDAYS],
    }
    return render(request, "duty/roster_detail.html", context)


# ---- layers, shifts, overrides --------------------------------------------------------------


def _part_form(request, roster: Roster, form, title: str, template: str = "duty/part_form.html"):
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("Saved %(object)s.") % {"object": saved})
        return redirect("duty:roster-detail", pk=roster.pk)
    return render(request, template, {"form": form, "roster": roster, "title": title})


@login_required
def layer_create(request, pk: int):
    roster = _roster(request, pk, edit=True)
    form = forms.LayerForm(request.POST or None, instance=Layer(roster=roster))
    return _part_form(request, roster, form, _("New layer"))


def _part(request, model, pk: int):
    obj = get_object_or_404(
        model.objects.visible_to(request.user).select_related("roster__unit"), pk=pk
    )
    return obj, obj.roster


@login_required
def layer_delete(request, pk: int):
    layer, roster = _part(request, Layer, pk)
    _require_edit(request.user, roster.unit)
    if request.method == "POST":
        if roster.layers.count() == 1:
            messages.error(request, _("A roster keeps at least one layer."))
        else:
            layer.delete()
            messages.success(request, _("Deleted %(object)s.") % {"object": layer})
        return redirect("duty:roster-detail", pk=roster.pk)
    return render(request, "duty/confirm_delete.html", {"object": layer, "roster": roster})


@login_required
def shift_create(request, pk: int):
    return _shift_form(request, None, _roster(request, pk, edit=True))


@login_required
def shift_edit(request, pk: int):
    shift, roster = _part(request, Shift, pk)
    _require_edit(request.user, roster.unit)
    return _shift_form(request, shift, roster)


def _shift_form(request, shift: Shift | None, roster: Roster):
    form = forms.ShiftForm(request.POST or None, instance=shift, roster=roster)
    title = _("Edit shift") if shift else _("New shift")
    return _part_form(request, roster, form, title)


@login_required
def shift_delete(request, pk: int):
    return _delete_part(request, Shift, pk)


@login_required
def override_create(request, pk: int):
    roster = _roster(request, pk, edit=True)
    form = forms.OverrideForm(request.POST or None, roster=roster)
    return _part_form(request, roster, form, _("New override"))


@login_required
def override_delete(request, pk: int):
    return _delete_part(request, Override, pk)


def _delete_part(request, model, pk: int):
    """Confirm on GET, delete on POST: a shift or an override of a roster the user edits."""
    part, roster = _part(request, model, pk)
    _require_edit(request.user, roster.unit)
    if request.method == "POST":
        part.delete()
        messages.success(request, _("Deleted %(object)s.") % {"object": part})
        return redirect("duty:roster-detail", pk=roster.pk)
    return render(request, "duty/confirm_delete.html", {"object": part, "roster": roster})


# ---- swaps -----------------------------------------------------------------------------------


@login_required
def swap_create(request, pk: int):
    roster = _roster(request, pk)
    mine = [p for p in _my_people(request.user) if p.unit_id == roster.unit_id]
    if not (mine or can_edit(request.user, roster.unit)):
        raise PermissionDenied(_("Only the unit's people can ask for a swap."))
    initial = {"requester": mine[0].pk} if mine else {}
    form = forms.SwapForm(request.POST or None, roster=roster, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not (can_edit(request.user, roster.unit) or data["requester"] in mine):
            raise PermissionDenied(_("You can ask for a swap of your own shifts only."))
        try:
            swap = swaps.request_swap(
                data["shift"], data["day"], data["requester"], data["target"], note=data["note"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The request was sent to %(person)s.") % {"person": swap.target}
            )
            return redirect("duty:swap-detail", pk=swap.pk)
    return render(
        request,
        "duty/part_form.html",
        {"form": form, "roster": roster, "title": _("Ask for a swap")},
    )


@login_required
def swap_detail(request, pk: int):
    swap = get_object_or_404(
        SwapRequest.objects.visible_to(request.user).select_related(
            "roster", "requester", "target", "shift"
        ),
        pk=pk,
    )
    if request.method == "POST":
        action = {"accept": swaps.accept, "decline": swaps.decline, "cancel": swaps.cancel}.get(
            request.POST.get("action", "")
        )
        if action is None:
            raise Http404
        try:
            action(swap, request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Done."))
        return redirect("duty:swap-detail", pk=swap.pk)
    context = {
        "swap": swap,
        "may_answer": swap.status == SwapRequest.Status.PENDING
        and swaps.may_answer(request.user, swap),
        "may_cancel": swap.status == SwapRequest.Status.PENDING
        and swaps.may_cancel(request.user, swap),
    }
    return render(request, "duty/swap_detail.html", context)


# ---- calendar link ---------------------------------------------------------------------------


@login_required
def person_calendar(request, pk: int):
    person = get_object_or_404(
        Person.objects.visible_to(request.user).select_related("unit"), pk=pk
    )
    if person.user_id != request.user.pk and not can_edit(request.user, person.unit):
        raise PermissionDenied(_("Only the person or an editor of the unit sees this link."))
    if request.method == "POST":
        calendar_feed.renew(person)
        messages.success(request, _("A new link was made; the old one no longer works."))
        return redirect("duty:person-calendar", pk=person.pk)
    token = calendar_feed.token_for(person)
    url = request.build_absolute_uri(reverse("duty:ical", args=[token]))
    return render(request, "duty/person_calendar.html", {"person": person, "url": url})


def ical(request, token: str):
    """The feed itself: no login (calendar apps cannot), the signed token is the key."""
    person = calendar_feed.person_for(token)
    if person is None:
        raise Http404
    data = calendar_feed.feed(person, host=request.get_host().split(":")[0])
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="lich-truc.ics"'
    return response
