"""Item 5 of the security review: no serializer resolves a related id outside the
caller's units, so validation errors cannot be used to read another unit's directory.

The convention test walks every serializer the API uses (the router's viewsets, every
action, and every serializer class defined in citysoc) and checks each writable
related-object field: asked by a signed-in user who belongs to no unit, its queryset
must be empty by construction (the SQL is never run), unless the model is reference
data shared by the whole city or the field declares why it offers more.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.contrib.auth import get_user_model
from rest_framework import serializers
from rest_framework.relations import ManyRelatedField, RelatedField
from rest_framework.test import APIClient, APIRequestFactory

import citysoc
from citysoc.api_urls import router
from citysoc.core.models import Person
from citysoc.core.serializers import SHARED_REFERENCE_MODELS, ScopedRelationsMixin
from citysoc.notify.models import Channel
from tests import factories

pytestmark = pytest.mark.django_db

# Fields allowed to offer rows beyond the caller's own units, each with its reason in code
# (`shared_reason`). Adding one here is a reviewed decision, not a way to silence the test.
DECLARED_SHARED = {"UsablePolicyField"}  # the city's and the parent units' escalation policies


def _all_serializer_classes() -> set[type]:
    for module in pkgutil.walk_packages(citysoc.__path__, "citysoc."):
        if module.name.rsplit(".", 1)[-1] in ("serializers", "api"):
            importlib.import_module(module.name)
    found, todo = set(), [serializers.BaseSerializer]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("citysoc."):
                found.add(sub)
    return found


def _router_serializer_classes(request) -> set[type]:
    found = set()
    for _prefix, viewset, _basename in router.registry:
        actions = ["list", "retrieve", "create", "update", "partial_update"]
        actions += [a.__name__ for a in viewset.get_extra_actions()]
        for action in actions:
            view = viewset(action=action, request=request, format_kwarg=None, kwargs={})
            try:
                found.add(view.get_serializer_class())
            except (AssertionError, AttributeError):
                continue  # a viewset without a serializer for that action
    return found


def writable_relations(serializer, path=""):
    """(dotted name, relation field) of every writable related field, nested ones too."""
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        if isinstance(field, ManyRelatedField):
            field = field.child_relation
        if isinstance(field, RelatedField):
            yield path + name, field
        elif isinstance(field, serializers.ListSerializer):
            yield from writable_relations(field.child, f"{path}{name}[].")
        elif isinstance(field, serializers.BaseSerializer):
            yield from writable_relations(field, f"{path}{name}.")


def unscoped_fields(serializer_class, request) -> list[str]:
    """Writable related fields of `serializer_class` that could name another unit's rows."""
    serializer = serializer_class(context={"request": request})
    bad = []
    for name, relation in writable_relations(serializer):
        queryset = relation.get_queryset()
        model = queryset.model._meta.label_lower
        if model in SHARED_REFERENCE_MODELS:
            continue
        if getattr(relation, "shared_reason", ""):
            if type(relation).__name__ not in DECLARED_SHARED:
                bad.append(f"{serializer_class.__name__}.{name} (undeclared shared field)")
            continue
        if not queryset.query.is_empty():
            bad.append(f"{serializer_class.__name__}.{name} -> {queryset.model.__name__}")
    return bad


@pytest.fixture
def stranger_request(db):
    """A signed-in account that belongs to no unit: its scope is empty."""
    request = APIRequestFactory().post("/api/")
    request.user = get_user_model().objects.create_user("stranger", password="x")  # noqa: S106
    return request


def test_every_api_serializer_resolves_related_ids_only_in_the_callers_units(stranger_request):
    classes = _all_serializer_classes()
    routed = _router_serializer_classes(stranger_request)
    assert routed <= classes
    assert len(routed) >= 15  # the walk really found the API's serializers
    bad = [n for cls in sorted(classes, key=repr) for n in unscoped_fields(cls, stranger_request)]
    assert bad == [], "related fields not limited to the caller's units: " + ", ".join(bad)


def test_the_walk_catches_an_unscoped_field(stranger_request):
    class Careless(serializers.Serializer):
        person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())

    class Careful(ScopedRelationsMixin, serializers.Serializer):
        person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())

    assert unscoped_fields(Careless, stranger_request) == ["Careless.person -> Person"]
    assert unscoped_fields(Careful, stranger_request) == []


def _token_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_channel_cannot_name_another_units_person(officer_a, unit_b):
    secret = Person.objects.create(unit=unit_b, full_name="Nguyễn Thị Bí Mật", role="operator")
    response = _token_client(officer_a).post(
        "/api/channels/",
        {
            "unit": "ward-a",
            "person": secret.pk,
            "kind": "email",
            "name": "X",
            "config": {"addresses": ["a@x.vn"]},
        },  # fmt: skip
        format="json",
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "does not exist" in text
    assert "Bí Mật" not in text and "ward-b" not in text
    assert Channel.objects.count() == 0


def test_an_id_of_another_unit_answers_like_an_id_that_exists_nowhere(officer_a, unit_b):
    other = factories.make_system(unit_b, name="Hệ thống của phường B")
    client = _token_client(officer_a)
    answers = []
    for system_id in (other.pk, 999_999):
        response = client.post(
            "/api/assessments/",
            {"system": system_id, "library": "urn:none"},
            format="json",
        )
        assert response.status_code == 400
        answers.append(response.json()["system"][0].replace(str(system_id), "<id>"))
    assert answers[0] == answers[1]
