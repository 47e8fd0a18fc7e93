"""The payload sweep: script typed into any text field never runs on any page.

In the tenancy-sweep world, ward A's officer writes a `javascript:` URL and an HTML
payload into every writable text field of every object the API lets them change (the
router's serializers are walked generically, so a new field is covered by itself), an
Alertmanager alert brings `javascript:` links, and then every page the tenancy sweep
knows is rendered as the city and as the ward: no live `javascript:` link and no
unescaped tag may appear.
"""

from __future__ import annotations

import json
import re
import time

import pytest
from django.urls import resolve
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from citysoc.alerts.models import Alert, AlertSource
from citysoc.api_urls import router
from citysoc.compliance.models import AssessmentItem
from tests.test_tenancy_sweep import MODELS, WHOLE_LISTS, _body, _urls_for, world  # noqa: F401

pytestmark = [pytest.mark.django_db]

SCRIPT_URL = "javascript:alert(1)"
TAG = "<img src=x onerror=alert(1)>"
LIVE_SCRIPT_LINK = re.compile(r"""(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.I)
BUDGET_SECONDS = 240  # the whole sweep, set-up included, on a slow shared machine


def _text_fields(serializer) -> list[tuple[str, serializers.Field]]:
    fields = []
    for name, field in serializer.fields.items():
        if field.read_only or not isinstance(field, serializers.CharField):
            continue
        if isinstance(field, serializers.EmailField | serializers.IPAddressField):
            continue  # refused by shape before any page could show it
        fields.append((name, field))
    return fields


def _payload_for(name: str, field) -> str:
    urlish = isinstance(field, serializers.URLField) or "url" in name or "link" in name
    return SCRIPT_URL if urlish else f"{TAG} MARK-{name}"


def _inject_through_the_api(client, user, own: dict) -> list[str]:
    """PATCH each text field of each of ward A's objects, one field at a time."""
    request = APIRequestFactory().patch("/")
    request.user = user
    landed = []
    for prefix, viewset, _basename in router.registry:
        model = MODELS.get(prefix)
        if model is None or own.get(model) is None:
            continue
        view = viewset(action="partial_update", request=request, format_kwarg=None, kwargs={})
        serializer = view.get_serializer_class()(context={"request": request})
        for name, field in _text_fields(serializer):
            value = _payload_for(name, field)
            response = client.patch(
                f"/api/{prefix}/{own[model]}/", {name: value}, content_type="application/json"
            )
            if response.status_code == 200:
                landed.append(f"{prefix}.{name}")
            else:
                assert response.status_code < 500, (prefix, name, response.content[:300])
    return landed


def _inject_alert_links(client, unit) -> int:
    source = AlertSource(unit=unit, kind="alertmanager", name=f"{TAG} prometheus")
    token = source.new_token()
    source.save()
    body = {
        "version": "4",
        "status": "firing",
        "alerts": [
            {
                "status": "firing",
                "labels": {"alertname": "Sweep", "severity": "critical"},
                "annotations": {"summary": f"{TAG} down", "runbook_url": SCRIPT_URL},
                "startsAt": "2026-11-29T01:02:03Z",
                "generatorURL": "JavaScript:alert(document.cookie)",
                "fingerprint": "sweep0001",
            }
        ],
    }
    response = client.post(
        "/api/alerts/intake/alertmanager/",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 202, response.content
    return Alert.objects.get(source=source).pk


def _problems(text: str) -> list[str]:
    found = []
    if LIVE_SCRIPT_LINK.search(text):
        found.append("a live javascript: link")
    if TAG in text or re.search(r"<img[^>]*onerror", text, re.I):
        found.append("an unescaped <img onerror> tag")
    return found


def test_no_page_renders_a_typed_payload_live(client, world, officer_a, city_admin, unit_a):  # noqa: F811
    started = time.monotonic()
    client.force_login(officer_a)
    landed = _inject_through_the_api(client, officer_a, world["a"])
    # Ward A's alert pages are walked on the alert that came with the links.
    world["a"]["alert"] = _inject_alert_links(client, unit_a)
    # A stored link that no form would accept today (an old row, an import): still inert.
    AssessmentItem.objects.filter(pk=world["a"]["assessmentitem"]).update(evidence_link=SCRIPT_URL)
    # The sweep reaches the payload through many areas, not one lucky field.
    assert len({f.split(".")[0] for f in landed}) >= 8, landed

    problems, pages, shown = [], 0, 0
    for user in (city_admin, officer_a):
        client.force_login(user)
        seen: set[str] = set()
        for url, kind, name in _urls_for(world["a"], world["b"]):
            if kind == "other" or name in WHOLE_LISTS:
                continue
            path = url.split("?")[0]
            if path in seen:
                continue  # query variants show the same rows
            seen.add(path)
            response = client.get(path, HTTP_ACCEPT="text/html")
            if response.status_code != 200:
                continue
            if "html" not in response.get("Content-Type", ""):
                continue
            pages += 1
            text = _body(response)
            shown += "&lt;img src=x onerror" in text
            problems += [f"{path} ({resolve(path).url_name}): {p}" for p in _problems(text)]
        assert time.monotonic() - started < BUDGET_SECONDS, "the payload sweep is too slow"
    assert pages > 100
    assert shown >= 10, "the payloads reached too few pages for the sweep to mean anything"
    assert not problems, "\n".join(problems)
