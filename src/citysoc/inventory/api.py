"""REST API for information systems, hosts, IP ranges and domains.

The tenancy rules live in `citysoc.core.api.UnitScopedViewSet`; this module only says
which rows, filters and sort keys each resource has.
"""

from __future__ import annotations

import ipaddress

import django_filters
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from citysoc.core.api import UnitOwnedFilter, UnitScopedViewSet
from citysoc.core.tenancy import scope_for
from citysoc.inventory import claims
from citysoc.inventory.models import Domain, Host, InformationSystem, IpRange
from citysoc.inventory.serializers import (
    DomainSerializer,
    HostSerializer,
    InformationSystemSerializer,
    IpRangeSerializer,
)
from citysoc.lib import iprange


def _bad_ip(value: str) -> exceptions.ValidationError:
    return exceptions.ValidationError(
        {"ip": [_("'%(value)s' is not an IPv4 or IPv6 address.") % {"value": value}]}
    )


class SystemFilter(UnitOwnedFilter):
    level = django_filters.NumberFilter(field_name="security_level", label=_("Security level."))
    approved = django_filters.BooleanFilter(
        method="filter_approved", label=_("true: level set and approved; false: the others.")
    )

    class Meta:
        model = InformationSystem
        fields = ["unit", "within", "system_type", "subtype", "level", "dossier_status"]

    def filter_approved(self, queryset, name, value):
        approved = Q(
            security_level__isnull=False, dossier_status=InformationSystem.Dossier.APPROVED
        )
        return queryset.filter(approved) if value else queryset.exclude(approved)


class HostFilter(UnitOwnedFilter):
    ip = django_filters.CharFilter(method="filter_ip", label=_("IPv4 or IPv6 address."))
    system = django_filters.NumberFilter(field_name="systems", label=_("Id of a system it serves."))
    os = django_filters.CharFilter(field_name="os", lookup_expr="icontains")

    class Meta:
        model = Host
        fields = ["unit", "within", "kind", "criticality", "ip", "system", "os", "claim_state"]

    def filter_ip(self, queryset, name, value):
        try:
            address = ipaddress.ip_address(value.strip())
        except ValueError:
            raise _bad_ip(value) from None
        field = "ipv4" if address.version == 4 else "ipv6"
        return queryset.filter(**{field: str(address)})


class RangeFilter(UnitOwnedFilter):
    ip = django_filters.CharFilter(method="filter_ip", label=_("Ranges containing this address."))
    provider = django_filters.CharFilter(field_name="provider__code", label=_("ISP unit code."))

    class Meta:
        model = IpRange
        fields = [
            "unit",
            "within",
            "version",
            "scope",
            "provider",
            "nat_egress",
            "ip",
            "claim_state",
        ]

    def filter_ip(self, queryset, name, value):
        try:
            version, key = iprange.address_key(value)
        except iprange.RangeError:
            raise _bad_ip(value) from None
        return queryset.filter(version=version, first_key__lte=key, last_key__gte=key)


class DomainFilter(UnitOwnedFilter):
    class Meta:
        model = Domain
        fields = ["unit", "within", "system", "name"]


@extend_schema_view(list=extend_schema(summary="List the information systems you can see"))
class SystemViewSet(UnitScopedViewSet):
    model = InformationSystem
    serializer_class = InformationSystemSerializer
    filterset_class = SystemFilter
    related = ("unit", "regime")
    search_fields = ["name", "owner_body", "decision_number", "description"]
    ordering_fields = ["name", "security_level", "dossier_status", "unit__code", "updated_at"]


class ClaimDecisionSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        help_text=_("Shown to the unit (e.g. why it was rejected)."),
    )


class ClaimViewSet(UnitScopedViewSet):
    """Hosts and ranges, whose addresses are claims: `POST …/{id}/approve/` and
    `…/reject/` let a city role decide one that waits (an audit entry records who, when,
    before and after)."""

    def _decide(self, request, approve: bool):
        if not scope_for(request.user).is_city:
            raise exceptions.PermissionDenied(
                _("Only a city role may approve or reject addresses.")
            )
        obj = self.get_object()
        body = ClaimDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        claims.decide(request.user, obj, approve=approve, note=body.validated_data.get("note", ""))
        return Response(self.get_serializer(obj).data)

    @extend_schema(
        summary="Approve a pending host or range (city roles only)",
        request=ClaimDecisionSerializer,
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None, format=None):
        return self._decide(request, approve=True)

    @extend_schema(
        summary="Reject a pending host or range (city roles only)",
        request=ClaimDecisionSerializer,
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None, format=None):
        return self._decide(request, approve=False)


@extend_schema_view(list=extend_schema(summary="List the hosts you can see"))
class HostViewSet(ClaimViewSet):
    model = Host
    serializer_class = HostSerializer
    filterset_class = HostFilter
    search_fields = ["hostname", "ipv4", "ipv6", "mac", "location", "os"]
    ordering_fields = ["hostname", "ipv4", "kind", "criticality", "unit__code", "updated_at"]

    def get_queryset(self):
        # Only the ids of the systems are shown: one extra query for the whole page.
        systems = Prefetch("systems", queryset=InformationSystem.objects.only("id"))
        return super().get_queryset().prefetch_related(systems)


@extend_schema_view(list=extend_schema(summary="List the IP ranges you can see"))
class RangeViewSet(ClaimViewSet):
    model = IpRange
    serializer_class = IpRangeSerializer
    filterset_class = RangeFilter
    related = ("unit", "provider")
    search_fields = ["text", "note"]
    ordering_fields = ["version", "first_key", "text", "unit__code", "updated_at"]


@extend_schema_view(list=extend_schema(summary="List the domains you can see"))
class DomainViewSet(UnitScopedViewSet):
    model = Domain
    serializer_class = DomainSerializer
    filterset_class = DomainFilter
    search_fields = ["name", "url", "note"]
    ordering_fields = ["name", "unit__code", "updated_at"]


ROUTES: list = [
    ("systems", SystemViewSet, "system"),
    ("hosts", HostViewSet, "host"),
    ("ranges", RangeViewSet, "range"),
    ("domains", DomainViewSet, "domain"),
]
