"""The OpenAPI schema and the docs page, served by the app itself (no internet needed)."""

from __future__ import annotations

import re

from django.conf import settings

RESOURCES = ("units", "systems", "hosts", "ranges", "domains", "people", "audit")


def test_the_schema_is_served_as_json_and_lists_every_resource(client_as, officer_a):
    # Logged in: the schema is not for anonymous clients (tests/security/test_defaults.py).
    response = client_as(officer_a).get("/api/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    schema = response.json()
    for resource in RESOURCES:
        assert f"/api/{resource}/" in schema["paths"]
        assert f"/api/{resource}/{{id}}/" in schema["paths"]
    assert "post" in schema["paths"]["/api/hosts/"]
    assert "post" not in schema["paths"]["/api/audit/"]
    assert schema["components"]["securitySchemes"]["bearerToken"]["scheme"] == "bearer"


def test_the_schema_documents_filters_and_pagination(client_as, officer_a):
    schema = client_as(officer_a).get("/api/openapi.json").json()
    params = {p["name"] for p in schema["paths"]["/api/hosts/"]["get"]["parameters"]}
    assert {"page", "page_size", "search", "ordering", "unit", "within", "ip", "kind"} <= params
    range_fields = schema["components"]["schemas"]["IpRange"]["properties"]
    assert {"unit", "text", "version", "first", "last", "size"} <= set(range_fields)


def test_the_docs_page_lists_every_operation_and_loads_nothing_from_outside(client_as, officer_a):
    response = client_as(officer_a).get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    for resource in RESOURCES:
        assert f"/api/{resource}/" in html
    assert "citysoc token create --user NAME" in html
    external = re.findall(r'(?:src|href)="(?:https?:)?//[^"]*"', html)
    assert external == []


def test_the_docs_page_asks_for_a_login(client, db):
    response = client.get("/api/docs")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_schema_is_in_the_readers_language_however_often_it_is_asked(client_as, officer_a):
    # The document is made once per language and kept (citysoc.core.api.build_schema):
    # asking in one language must not fix the other's words.
    client = client_as(officer_a)
    served: dict[str, list[str]] = {"vi": [], "en": []}
    for language in ("vi", "en", "vi", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        served[language].append(client.get("/api/openapi.json").content.decode())
    vietnamese, english = served["vi"], served["en"]
    assert vietnamese[0] == vietnamese[1] and english[0] == english[1]
    assert '"title": "Mã"' in vietnamese[0].replace('":"', '": "')
    assert "Mã" not in english[0] and "Đơn vị" not in english[0]
