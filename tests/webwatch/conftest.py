"""The local web: one server with every test site as a virtual host (see support/sites.py).

Shared by the checks' tests, the CLI test and the runner's tests (all in this folder).
"""

from __future__ import annotations

import pytest

from citysoc.webwatch.checks import Target, check_url
from tests.webwatch.support import sites


@pytest.fixture(autouse=True)
def _local_servers(loopback_allowed):
    """Every test here talks to the local web on 127.0.0.1."""


@pytest.fixture(scope="session")
def web(tmp_path_factory):
    with sites.build(tmp_path_factory.mktemp("certs")) as local:
        yield local


@pytest.fixture
def check(web):
    """check(url, **target fields) -> SiteResult, resolving every host to the local server."""

    def run(url: str, **fields):
        return check_url(Target(url=url, **fields), config=web.config)

    return run
