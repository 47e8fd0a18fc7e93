"""REST API: `/api/isp-requests/` — the city sends, the ISP acknowledges and answers.

Unit scoped like every list: an ISP's liaison sees its own ISP's requests, the city sees
all; another unit's request answers 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from citysoc.core.api import ApiPagination
from citysoc.core.models import Unit
from citysoc.isps import requesting
from citysoc.isps.models import IspRequest, IspRequestItem


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = IspRequestItem
        fields = ["id", "kind", "value", "note", "answer", "comment", "answered_at"]


class RequestSerializer(serializers.ModelSerializer):
    unit: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    items = ItemSerializer(many=True, read_only=True)

    class Meta:
        model = IspRequest
        fields = [
            "id",
            "unit",
            "kind",
            "number",
            "subject",
            "body",
            "due_at",
            "status",
            "created_at",
            "acknowledged_at",
            "answered_at",
            "escalated_at",
            "items",
        ]


class SendSerializer(serializers.Serializer):
    unit = serializers.CharField(help_text="Code of the ISP unit.")
    kind = serializers.ChoiceField(choices=IspRequest.Kind.choices)
    subject = serializers.CharField(max_length=300)
    body = serializers.CharField(required=False, allow_blank=True)
    due_at = serializers.DateTimeField()
    lines = serializers.ListField(child=serializers.CharField(), allow_empty=False)


class AnswerSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    answer = serializers.ChoiceField(choices=IspRequestItem.Answer.choices)
    comment = serializers.CharField(required=False, allow_blank=True)


def _checked(call):
    try:
        return call()
    except ValidationError as exc:
        raise exceptions.ValidationError({"detail": exc.messages}) from exc
    except DjangoPermissionDenied as exc:
        raise exceptions.PermissionDenied() from exc


@extend_schema_view(list=extend_schema(summary="Requests to ISPs you may see"))
class IspRequestViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = RequestSerializer
    pagination_class = ApiPagination

    def get_queryset(self):
        return (
            IspRequest.objects.visible_to(self.request.user)
            .select_related("unit")
            .prefetch_related("items")
        )

    @extend_schema(request=SendSerializer, responses=RequestSerializer)
    def create(self, request, *args, **kwargs):
        if not requesting.may_send(request.user):
            raise exceptions.PermissionDenied("Only the city sends requests to ISPs.")
        form = SendSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        isp = Unit.objects.filter(code=data["unit"], kind=Unit.Kind.ISP).first()
        if isp is None:
            raise exceptions.ValidationError({"unit": ["No ISP unit with this code."]})

        def send():
            lines = requesting.parse_lines(data["kind"], "\n".join(data["lines"]))
            return requesting.send(
                isp,
                kind=data["kind"],
                subject=data["subject"],
                body=data.get("body", ""),
                due_at=data["due_at"],
                lines=requesting.link_sightings(isp, lines),
                by=request.user,
            )

        sent = _checked(send)
        return Response(RequestSerializer(sent).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        isp_request = self.get_object()
        _checked(lambda: requesting.acknowledge(isp_request, by=request.user))
        return Response(RequestSerializer(isp_request).data)

    @extend_schema(request=AnswerSerializer, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        isp_request = self.get_object()
        form = AnswerSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        item = get_object_or_404(isp_request.items, pk=form.validated_data["item"])
        _checked(
            lambda: requesting.answer(
                item,
                answer=form.validated_data["answer"],
                comment=form.validated_data.get("comment", ""),
                by=request.user,
            )
        )
        isp_request.refresh_from_db()
        return Response(RequestSerializer(isp_request).data)


ROUTES: list = [("isp-requests", IspRequestViewSet, "isp-request")]
