"""Schemathesis over the whole OpenAPI schema, as a ward's admin with an API token, on the
test database filled with the demo city: no operation answers 500, and every response
matches the schema that documents it (content type and body).

Random ids would only ever meet "not found", so an `{id}` in a path is mostly one of the
objects the ward's own list shows. Reads run first and deletions last, so that the reads
see the demo city whole.
"""

from __future__ import annotations

import contextlib

import pytest
import schemathesis
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from citysoc.core.models import ApiToken

# The demo ward Bắc Sơn's admin: the widest rights a ward has (people, channels, writes).
WARD_USER = "bacson.admin"
CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]
METHOD_ORDER = {"get": 0, "post": 1, "put": 2, "patch": 3, "delete": 4}
# Bounded so that the whole run stays well under two minutes; derandomized so that a red
# run in CI is the same run on a developer's machine. No shrinking: the first failing
# example is reported as it was sent.
PER_OPERATION = settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def ward_token(db):
    from django.contrib.auth import get_user_model

    from citysoc.core import demo

    accounts = demo.load()
    assert WARD_USER in {a["username"] for a in accounts}
    user = get_user_model().objects.get(username=WARD_USER)
    _token, raw = ApiToken.issue(user, name="schemathesis")
    return raw


@contextlib.contextmanager
def _connection_kept_open():
    """Keep the test's database connection open across the requests.

    Schemathesis calls the WSGI application itself, whose request signals close a
    connection inside a transaction (on PostgreSQL, the test's own); Django's test client
    unhooks them in the same way, and hooks them back after each of its requests.
    """
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _visible_ids(client, list_path: str, headers: dict[str, str]) -> list[int]:
    """Ids of the first objects the ward's list at `list_path` shows (none: no list)."""
    response = client.get(list_path, {"page_size": 20}, headers=headers)
    if response.status_code != 200:
        return []
    body = response.json()
    rows = body.get("results", []) if isinstance(body, dict) else body
    return [row["id"] for row in rows if isinstance(row, dict) and "id" in row]


def _cases(operation, ids: list[int]):
    cases = operation.as_strategy()
    if not ids or "{id}" not in operation.path:
        return cases

    def with_id(case, pk):
        case.path_parameters = {**(case.path_parameters or {}), "id": pk}
        return case

    # Four in five cases name a real object; the rest keep the generated (unknown) id.
    real = st.builds(with_id, cases, st.sampled_from(ids))
    return st.one_of(real, real, real, real, cases)


def _check(operation, ids: list[int], headers: dict[str, str]) -> str | None:
    @given(case=_cases(operation, ids))
    @PER_OPERATION
    def run(case):
        # Each request in its own savepoint, rolled back after: as in production, where
        # each request is its own transaction, one request's database error must not
        # abort the test's transaction under every later request (PostgreSQL).
        savepoint = transaction.savepoint()
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        finally:
            transaction.savepoint_rollback(savepoint)

    try:
        run()
    except (Exception, BaseExceptionGroup) as exc:  # collected, reported together below
        return f"{operation.label}: {exc}"
    return None


def test_every_operation_answers_as_documented(ward_token):
    from django.core.wsgi import get_wsgi_application
    from django.test import Client

    headers = {"Authorization": f"Bearer {ward_token}"}
    client = Client()
    paths = client.get("/api/openapi.json", headers=headers).json()["paths"]
    ids = {
        path: _visible_ids(client, path.split("{id}")[0], headers)
        for path in paths
        if "{id}" in path
    }
    with _connection_kept_open():
        schema = schemathesis.openapi.from_wsgi(
            "/api/openapi.json", get_wsgi_application(), headers=headers
        )
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) > 100
        operations.sort(key=lambda op: (METHOD_ORDER.get(op.method.lower(), 9), op.path))
        failures = [f for op in operations if (f := _check(op, ids.get(op.path, []), headers))]
    assert not failures, f"{len(failures)} operations:\n\n" + "\n\n".join(failures)
