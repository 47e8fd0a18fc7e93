"""REST API of the alerts area: the intake endpoints, alerts, and alert sources.

`POST /api/alerts/intake/<kind>/` is for machines: the source's own token (not a person's)
names one source of one unit, and every alert it posts is that unit's. It is a plain Django
view, outside DRF and sessions, because it is the hot path: monitoring tools post every
event, sometimes in storms.

`/api/alerts/` and `/api/alert-sources/` are for people (API tokens or the session), with
the usual tenancy: another unit's alert or source is 404; a viewer may read, an editor of
the unit acknowledges, resolves, creates and changes.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import cast

import django_filters
from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from citysoc.alerts import intake
from citysoc.alerts.models import Alert, AlertSource
from citysoc.alerts.serializers import (
    AlertSerializer,
    AlertSourceCreatedSerializer,
    AlertSourceSerializer,
)
from citysoc.alerts.sources import PayloadError, generic, parse
from citysoc.alerts.sources import base as source_base
from citysoc.core.api import ApiPagination, EditableByUnit, UnitOwnedFilter, deny_unit
from citysoc.core.models import hash_token
from citysoc.core.tenancy import can_edit, scope_for

log = logging.getLogger(__name__)

# A setting-free ceiling: a whole Suricata/Zeek file of a busy hour fits; a runaway does not.
MAX_BODY_BYTES = 10 * 1024 * 1024
# A source's token is looked up once per TOKEN_CACHE_SECONDS per web process. Disabling a
# source or rotating its token takes effect at once in the process that did it, and within
# this many seconds in the others.
TOKEN_CACHE_SECONDS = 10.0

_tokens: dict[str, tuple[float, AlertSource]] = {}
_tokens_lock = threading.Lock()


def forget_cached_tokens() -> None:
    """Drop the token cache (after a source is changed, disabled or its token rotated)."""
    with _tokens_lock:
        _tokens.clear()


def _source_for(token: str) -> AlertSource | None:
    digest = hash_token(token)
    now = time.monotonic()
    cached = _tokens.get(digest)
    if cached is not None and cached[0] > now:
        return cached[1]
    source = (
        AlertSource.objects.select_related("unit", "escalation_policy")
        .filter(token_hash=digest)
        .first()
    )
    if source is not None:
        with _tokens_lock:
            if len(_tokens) > 10_000:  # a flood of random tokens must not grow it forever
                _tokens.clear()
            _tokens[digest] = (now + TOKEN_CACHE_SECONDS, source)
    return source


# --- intake ------------------------------------------------------------------------------


def _error(status_code: int, message: str, **extra) -> JsonResponse:
    response = JsonResponse({"error": message, **extra}, status=status_code)
    if status_code == 401:
        response["WWW-Authenticate"] = 'Bearer realm="citysoc alert intake"'
    return response


def _bearer(request: HttpRequest) -> str:
    scheme, _sep, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _read_body(request: HttpRequest) -> bytes | None:
    """The body, or None when it is larger than MAX_BODY_BYTES (without reading it all)."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY_BYTES:
        return None
    # Read the stream ourselves: request.body would stop at Django's form-upload limit.
    body = request.read(MAX_BODY_BYTES + 1)
    return None if len(body) > MAX_BODY_BYTES else body


@csrf_exempt
def intake_view(request: HttpRequest, source: str) -> JsonResponse:
    """Receive one payload from a monitoring tool; answer what became of each record."""
    if request.method != "POST":
        response = _error(
            405,
            _("Send the alerts with POST and the source's token (Authorization: Bearer …)."),
        )
        response["Allow"] = "POST"
        return response
    if source not in intake.HTTP_KINDS:
        return _error(
            404,
            _("There is no intake for '%(kind)s'. Post to one of: %(known)s.")
            % {"kind": source, "known": ", ".join(intake.HTTP_KINDS)},
        )
    token = _bearer(request)
    if not token:
        return _error(
            401,
            _(
                "No token: send the alert source's token as 'Authorization: Bearer <token>'. "
                "A unit editor makes one on the Alert sources page or with "
                "`citysoc source create`."
            ),
        )
    sender = _source_for(token)
    refusal = _refusal(sender, source)
    if refusal is not None:
        return refusal
    body = _read_body(request)
    if body is None:
        return _error(
            413,
            _("The body is larger than %(mb)d MB. Send the events in smaller batches.")
            % {"mb": MAX_BODY_BYTES // 2**20},
        )
    return _receive(cast(AlertSource, sender), source, body)  # _refusal answered a None sender


def _refusal(sender: AlertSource | None, kind: str) -> JsonResponse | None:
    if sender is None:
        return _error(
            401,
            _(
                "Unknown token: no alert source has it (it may have been replaced). "
                "Copy the current token from the source's page, or rotate it there."
            ),
        )
    if not sender.enabled:
        return _error(
            403,
            _("The alert source '%(name)s' is disabled. A unit editor can enable it again.")
            % {"name": sender.name},
        )
    if sender.kind != kind:
        return _error(
            403,
            _(
                "This token belongs to the %(own)s source '%(name)s'; it may only post to "
                "/api/alerts/intake/%(own)s/, not /%(kind)s/."
            )
            % {"own": sender.kind, "name": sender.name, "kind": kind},
        )
    return None


def _receive(sender: AlertSource, kind: str, body: bytes) -> JsonResponse:
    try:
        payload = _own_unit_only(sender, body) if kind == "generic" else body
        parsed = parse(kind, payload)
    except PayloadError as error:
        return _error(400, str(error))
    except _OtherUnit as refused:
        return _error(403, str(refused))
    result = intake.ingest(sender, parsed.events)
    answer = result.as_dict()
    position = "line" if _is_line_format(kind, body) else "index"
    answer["rejected"] = [
        {position if number else "index": number, "reason": reason}
        for number, reason in parsed.rejected
    ]
    answer["skipped"] = parsed.skipped
    if parsed.rejected:
        log.info(
            "alert intake %s (%s, unit %s): %d records rejected, first: %s",
            sender.name,
            kind,
            sender.unit.code,
            len(parsed.rejected),
            parsed.rejected[0][1],
        )
    return JsonResponse(answer, status=202)


def _is_line_format(kind: str, body: bytes) -> bool:
    # Positions are 0-based indexes in a JSON array or object, 1-based numbers of lines.
    if kind in ("generic", "alertmanager"):
        return False
    return kind == "zeek" or body.lstrip()[:1] != b"["


class _OtherUnit(Exception):
    """A generic payload names a unit other than the token's."""


def _own_unit_only(sender: AlertSource, body: bytes) -> source_base.Payload:
    """The decoded generic payload without `unit` fields, which must name the token's unit.

    A token is one unit's: a record that claims to be another unit's is refused whole
    (403), rather than filed under the token's unit against the sender's intent.
    """
    document = source_base.load_json(body, expected=generic.EXPECTED)
    if not isinstance(document, dict | list):
        return body  # not records: the parser reads it again and says what is wrong
    records = document if isinstance(document, list) else [document]
    own = sender.unit.code
    for index, record in enumerate(records):
        if not isinstance(record, dict) or "unit" not in record:
            continue
        named = str(record.pop("unit")).strip()
        if named and named != own:
            raise _OtherUnit(
                _(
                    "Record %(index)d names unit '%(named)s', but this token belongs to unit "
                    "'%(own)s'. A token posts only its own unit's alerts: use a token of "
                    "unit '%(named)s', or leave the unit field out."
                )
                % {"index": index, "named": named, "own": own}
            )
    return document


# --- alerts ------------------------------------------------------------------------------


class AlertFilter(UnitOwnedFilter):
    source = django_filters.NumberFilter(field_name="source_id", label=gettext_lazy("Source id."))
    source_kind = django_filters.ChoiceFilter(
        field_name="source__kind",
        choices=AlertSource.Kind.choices,
        label=gettext_lazy("Source kind (wazuh, suricata, …)."),
    )
    since = django_filters.IsoDateTimeFilter(field_name="last_seen", lookup_expr="gte")

    class Meta:
        model = Alert
        fields = [
            "unit",
            "within",
            "status",
            "severity",
            "urgency",
            "source",
            "source_kind",
            "dedup_key",
        ]


@extend_schema_view(
    list=extend_schema(summary="Alerts of your units, most recent first"),
    retrieve=extend_schema(summary="One alert"),
)
class AlertViewSet(EditableByUnit, viewsets.ReadOnlyModelViewSet):
    serializer_class = AlertSerializer
    pagination_class = ApiPagination
    filterset_class = AlertFilter
    search_fields = ["summary", "dedup_key", "host", "src_ip", "dst_ip"]
    ordering_fields = ["id", "last_seen", "first_seen", "count", "severity", "status"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return Alert.objects.visible_to(self.request.user).select_related("unit", "source")

    def _actor(self) -> str:
        return self.request.user.get_username()

    @extend_schema(
        summary="Acknowledge an alert (editors of its unit): escalation stops",
        request=None,
        responses={200: AlertSerializer, 409: OpenApiResponse(description="Already resolved")},
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        alert = self.get_object()
        if alert.status == Alert.Status.RESOLVED:
            raise _Conflict(
                _("Alert %(id)d is already resolved (by %(by)s); there is nothing to acknowledge.")
                % {"id": alert.pk, "by": alert.resolved_by or "?"}
            )
        intake.acknowledge(alert, by=self._actor())
        alert.refresh_from_db()
        return Response(self.get_serializer(alert).data)

    @extend_schema(
        summary="Resolve an alert (editors of its unit); the next event with its key opens a "
        "new one",
        request=None,
        responses={200: AlertSerializer},
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        alert = self.get_object()
        intake.resolve(alert, by=self._actor())
        alert.refresh_from_db()
        return Response(self.get_serializer(alert).data)


class _Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


# --- alert sources -----------------------------------------------------------------------


class AlertSourceFilter(UnitOwnedFilter):
    class Meta:
        model = AlertSource
        fields = ["unit", "within", "kind", "enabled"]


@extend_schema_view(
    list=extend_schema(summary="Alert sources of your units (tokens are never listed)"),
    retrieve=extend_schema(summary="One alert source"),
    create=extend_schema(
        summary="Make an alert source (editors); the answer carries its token, once",
        responses={201: AlertSourceCreatedSerializer},
    ),
    update=extend_schema(summary="Change an alert source (editors)"),
    partial_update=extend_schema(summary="Change some fields of an alert source (editors)"),
)
class AlertSourceViewSet(
    EditableByUnit,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = AlertSourceSerializer
    pagination_class = ApiPagination
    filterset_class = AlertSourceFilter
    search_fields = ["name", "sender_ips"]
    ordering_fields = ["id", "name", "kind", "last_event_at"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return AlertSource.objects.visible_to(self.request.user).select_related("unit")

    def create(self, request, *args, **kwargs):
        if not scope_for(request.user).edit_paths and not scope_for(request.user).everything:
            raise exceptions.PermissionDenied(_("Your role can only read; it cannot create."))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        unit = serializer.validated_data["unit"]
        if not can_edit(request.user, unit):
            raise deny_unit(unit)
        source = AlertSource(**serializer.validated_data)
        token = source.new_token()
        with transaction.atomic():
            source.save()
        data = AlertSourceCreatedSerializer(source).data
        data["token"] = token
        return Response(data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer) -> None:
        with transaction.atomic():
            serializer.save()
        forget_cached_tokens()

    @extend_schema(
        summary="Replace the source's token (editors); the old one stops working",
        request=None,
        responses={200: AlertSourceCreatedSerializer},
    )
    @action(detail=True, methods=["post"])
    def rotate(self, request, pk=None):
        source = self.get_object()  # 403 for a reader, 404 outside the scope
        token = source.new_token()
        source.save(update_fields=["token_prefix", "token_hash"])
        forget_cached_tokens()
        data = AlertSourceCreatedSerializer(source).data
        data["token"] = token
        return Response(data)


ROUTES: list = [
    ("alerts", AlertViewSet, "alert"),
    ("alert-sources", AlertSourceViewSet, "alert-source"),
]
