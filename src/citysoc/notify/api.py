"""REST API: /api/notifications/ (the outbox, read-only) and /api/channels/.

Notifications: one item per message with the deliveries the caller may see (a unit's
users: deliveries on their units' channels; city roles: all). Channels: the same tenancy
as the pages; editors create and change them; secrets in `config` are write-only.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, viewsets

from citysoc.core.api import ApiPagination, UnitOwnedFilter, deny_unit
from citysoc.core.models import Person, Unit
from citysoc.notify.models import Channel, Delivery, Message
from citysoc.notify.serializers import ChannelSerializer, MessageSerializer


class MessageFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=Delivery.Status.choices,
        method="filter_status",
        label=_("Messages with a delivery in this status."),
    )
    unit = django_filters.CharFilter(
        method="filter_unit", label=_("Unit code: messages with a delivery on its channels.")
    )
    since = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    until = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Message
        fields = ["status", "topic", "unit", "related_type", "related_id", "since", "until"]

    def _with_delivery(self, queryset: QuerySet[Message], **lookup: Any) -> QuerySet[Message]:
        if self.request is None:  # only ever built by the API view, with its request
            return queryset.none()
        deliveries = Delivery.objects.visible_to(self.request.user).filter(**lookup)
        return queryset.filter(pk__in=deliveries.values("message_id"))

    def filter_status(
        self, queryset: QuerySet[Message], name: str, value: str
    ) -> QuerySet[Message]:
        return self._with_delivery(queryset, status=value)

    def filter_unit(self, queryset: QuerySet[Message], name: str, value: str) -> QuerySet[Message]:
        return self._with_delivery(queryset, channel__unit__code=value)


@extend_schema_view(
    list=extend_schema(summary="The outbox: messages, newest first, with who was told and how"),
)
class MessageViewSet(viewsets.ReadOnlyModelViewSet[Message]):
    serializer_class = MessageSerializer
    pagination_class = ApiPagination
    filterset_class = MessageFilter
    search_fields = ["subject", "deliveries__recipient"]
    ordering_fields = ["created_at", "id"]

    def get_queryset(self) -> QuerySet[Message]:
        user = self.request.user
        shown = Delivery.objects.visible_to(user).select_related("channel__unit").order_by("pk")
        return Message.objects.visible_to(user).prefetch_related(
            Prefetch("deliveries", queryset=shown)
        )


class ChannelFilter(UnitOwnedFilter):
    class Meta:
        model = Channel
        fields = ["unit", "within", "kind", "enabled", "person"]


@extend_schema_view(
    list=extend_schema(summary="Notification channels of your units (secrets masked)"),
    create=extend_schema(summary="Add a channel (unit editors; city-wide: city administrators)"),
)
class ChannelViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Channel],
):
    serializer_class = ChannelSerializer
    pagination_class = ApiPagination
    filterset_class = ChannelFilter
    search_fields = ["name"]
    ordering_fields = ["name", "unit__path", "kind", "last_ok_at"]

    def get_queryset(self) -> QuerySet[Channel]:
        return Channel.objects.visible_to(self.request.user).select_related("unit", "person")

    def get_object(self) -> Channel:
        channel = super().get_object()  # 404 outside the caller's scope
        if self.request.method not in ("GET", "HEAD", "OPTIONS"):
            self._check(channel.unit)
        return channel

    def _check(self, unit: Unit | None) -> None:
        probe = Channel(unit=unit)
        if not probe.may_change(self.request.user):
            if unit is None:
                raise exceptions.PermissionDenied(
                    _("Only a city administrator changes city-wide channels; give a unit.")
                )
            raise deny_unit(unit)

    def _check_person(self, person: Person | None) -> None:
        if (
            person is not None
            and not Person.objects.visible_to(self.request.user).filter(pk=person.pk).exists()
        ):
            raise exceptions.ValidationError({"person": [_("No such person in your units.")]})

    def perform_create(self, serializer: serializers.BaseSerializer[Channel]) -> None:
        self._check(serializer.validated_data.get("unit"))
        self._check_person(serializer.validated_data.get("person"))
        with transaction.atomic():
            serializer.save()

    def perform_update(self, serializer: serializers.BaseSerializer[Channel]) -> None:
        if "unit" in serializer.validated_data:
            self._check(serializer.validated_data["unit"])
        self._check_person(serializer.validated_data.get("person"))
        with transaction.atomic():
            serializer.save()


ROUTES: list[tuple[str, type[viewsets.GenericViewSet[Any]], str]] = [
    ("notifications", MessageViewSet, "notification"),
    ("channels", ChannelViewSet, "channel"),
]
