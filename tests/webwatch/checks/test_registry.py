"""The checks registry: bad URLs, fetch free of Django (convention: tests/test_registries.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from citysoc.webwatch import checks

REPO = Path(__file__).resolve().parents[3]
PACKAGE = "citysoc.webwatch.checks"


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
