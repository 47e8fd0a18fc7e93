"""API test helpers: a DRF client logged in as any user of the fixed cast, or by token."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from citysoc.core.models import ApiToken


@pytest.fixture
def api_as():
    """An API client authenticated (by session) as the given user."""

    def make(user) -> APIClient:
        client = APIClient()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def token_client():
    """An API client that sends `Authorization: Bearer <a new token of user>`."""

    def make(user) -> APIClient:
        _token, raw = ApiToken.issue(user, name="test")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        return client

    return make


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The cast's accounts are created for every test; real hashing would dominate the run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
