"""Schemathesis over the whole OpenAPI schema, as a ward's admin with a token, on the test
database filled with the demo city: no operation answers 500, and every response matches
the schema that documents it (content type and body)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from citysoc.core.models import ApiToken

# The demo ward Bắc Sơn's admin: the widest rights a ward has (people, channels, writes).
WARD_USER = "bacson.admin"
CHECKS = [
    not_a_server_error,
    content_type_conformance,
    response_schema_conformance,
]
# Bounded so that the whole run stays well under two minutes; derandomized so that a red
# run in CI is the same run on a developer's machine. No shrinking: the first failing
# example is reported as it was sent.
PER_OPERATION = settings(
    max_examples=8,
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


def _check(operation, headers: dict[str, str]) -> str | None:
    @given(case=operation.as_strategy())
    @PER_OPERATION
    def run(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    try:
        run()
    except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collected, reported below
        return f"{operation.label}: {exc}"
    return None


def test_every_operation_answers_as_documented(ward_token):
    from django.core.wsgi import get_wsgi_application

    headers = {"Authorization": f"Bearer {ward_token}"}
    schema = schemathesis.openapi.from_wsgi(
        "/api/openapi.json", get_wsgi_application(), headers=headers
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 100
    failures = [f for op in operations if (f := _check(op, headers))]
    assert not failures, f"{len(failures)} operations:\n\n" + "\n\n".join(failures)
