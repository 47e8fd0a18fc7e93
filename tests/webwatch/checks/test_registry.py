"""The checks registry: every module registered with a fixture and a test; no Django."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

from citysoc.webwatch import checks

REPO = Path(__file__).resolve().parents[3]
PACKAGE = "citysoc.webwatch.checks"
# Helper modules of the package, not checks.
HELPERS = {
    "base",  # the contract: Target, Finding, SiteResult
    "context",  # what a check receives
    "markup",  # the one parse per page: text, links, hidden elements
    "terms",  # gambling and defacement vocabulary
    "links",  # link judgement shared by injected_links, scam_links and cloaking
}


def module_names() -> list[str]:
    return [m.name for m in pkgutil.iter_modules(checks.__path__) if m.name not in HELPERS]


@pytest.mark.parametrize("name", module_names())
def test_every_check_module_is_registered_with_fixture_and_test(name):
    module = importlib.import_module(f"{PACKAGE}.{name}")
    assert checks.CHECKS[module.NAME] is module
    assert name == module.NAME
    assert module.LABEL and module.__doc__ and callable(module.run)
    folder = REPO / "tests" / "fixtures" / "webwatch" / name
    assert folder.is_dir() and any(folder.iterdir()), f"no fixture in {folder}"
    assert (REPO / "tests" / "webwatch" / "checks" / f"test_{name}.py").exists()


def test_every_registered_check_is_a_module_of_the_package():
    assert sorted(checks.CHECKS) == sorted(module_names())


def test_checks_and_fetch_do_not_import_django():
    code = (
        f"import sys, {PACKAGE}, citysoc.webwatch.fetch; "
        "assert 'django' not in sys.modules, 'django was imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_bad_url_is_reported_not_raised():
    result = checks.check_url(checks.Target(url="ftp://portal.example/"))
    assert (result.up, result.findings) == (False, [])
    assert "http:// or https://" in result.error
