"""REST API: /api/rosters/ (read, with who is on duty now) and /api/duty-log/.

Rosters: a unit's users read their own, city roles read all. Duty log: read as rosters;
an editor of a unit (admin, operator) adds entries for it; entries are a record and are
not changed or deleted over the API.
"""

from __future__ import annotations

import django_filters
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from citysoc.core.api import ApiPagination, UnitOwnedFilter, deny_unit
from citysoc.core.tenancy import can_edit
from citysoc.duty import logbook, rosters, schedule
from citysoc.duty.models import LogEntry, Roster
from citysoc.duty.serializers import LogEntrySerializer, RosterSerializer


class RosterFilter(UnitOwnedFilter):
    active_on = django_filters.DateFilter(
        method="filter_active_on", label="Rosters covering this day."
    )

    class Meta:
        model = Roster
        fields = ["unit", "within", "active_on"]

    def filter_active_on(self, queryset, name, value):
        return queryset.filter(starts_on__lte=value, ends_on__gte=value)


@extend_schema_view(
    list=extend_schema(summary="Rosters of your units, with who is on duty on each now"),
)
class RosterViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RosterSerializer
    pagination_class = ApiPagination
    filterset_class = RosterFilter
    search_fields = ["name"]
    ordering_fields = ["starts_on", "ends_on", "id"]

    def get_queryset(self):
        return (
            Roster.objects.visible_to(self.request.user)
            .select_related("unit")
            .prefetch_related("shifts__layer", "shifts__people")
        )

    def get_serializer(self, *args, **kwargs):
        # One computation for the whole page: the rosters' rules are loaded together.
        if args and not kwargs.get("data"):
            items = args[0] if kwargs.get("many") else [args[0]]
            kwargs.setdefault("context", self.get_serializer_context())
            kwargs["context"]["on_duty_now"] = _on_duty_now(items)
        return super().get_serializer(*args, **kwargs)


def _on_duty_now(items) -> dict:
    now = timezone.now()
    ids = [r.pk for r in items]
    found: dict[int, set[int]] = {}
    for rules in rosters.load(Roster.objects.filter(pk__in=ids)):
        found[rules.id] = set(schedule.on_duty_at(rules, now))
    people = rosters.people_by_id({p for s in found.values() for p in s})
    return {
        pk: sorted((people[p] for p in ps if p in people), key=lambda p: p.full_name)
        for pk, ps in found.items()
    }


class LogEntryFilter(UnitOwnedFilter):
    since = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte")
    until = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="lt")

    class Meta:
        model = LogEntry
        fields = ["unit", "within", "since", "until"]


@extend_schema_view(
    list=extend_schema(summary="Duty-log entries of your units, newest first"),
    create=extend_schema(summary="Add a duty-log entry for a unit you may edit"),
)
class LogEntryViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = LogEntrySerializer
    pagination_class = ApiPagination
    filterset_class = LogEntryFilter
    search_fields = ["checked", "seen", "done"]
    ordering_fields = ["at", "id"]

    def get_queryset(self):
        return LogEntry.objects.visible_to(self.request.user).select_related(
            "unit", "person", "written_by"
        )

    def perform_create(self, serializer) -> None:
        data = serializer.validated_data
        unit = data.pop("unit")
        if not can_edit(self.request.user, unit):
            raise deny_unit(unit)
        serializer.instance = logbook.write(unit, self.request.user, **data)


ROUTES: list = [
    ("rosters", RosterViewSet, "roster"),
    ("duty-log", LogEntryViewSet, "duty-log"),
]
