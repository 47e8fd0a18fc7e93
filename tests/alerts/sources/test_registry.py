"""The sources registry: every module registered with a fixture and a test; parse() by name."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from citysoc.alerts import sources
from citysoc.alerts.sources.base import Event, PayloadError
from tests.alerts.sources import support

PACKAGE = "citysoc.alerts.sources"
# Modules the sources share, not sources themselves.
HELPERS = {"base", "syslog_lines"}


def module_names() -> list[str]:
    return [m.name for m in pkgutil.iter_modules(sources.__path__) if m.name not in HELPERS]


@pytest.mark.parametrize("name", module_names())
def test_every_source_module_is_registered_with_fixture_and_test(name):
    module = importlib.import_module(f"{PACKAGE}.{name}")
    assert sources.SOURCES[module.NAME] is module
    assert name == module.NAME
    assert module.LABEL and module.__doc__ and callable(module.parse)
    folder = support.FIXTURES / name
    assert folder.is_dir() and any(folder.iterdir()), f"no fixture in tests/fixtures/alerts/{name}"
    assert (support.REPO / "tests" / "alerts" / "sources" / f"test_{name}.py").exists()


def test_every_registered_source_is_a_module_of_the_package():
    assert sorted(sources.SOURCES) == sorted(module_names())


def test_sources_do_not_import_django():
    code = f"import sys, {PACKAGE}; assert 'django' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_parse_by_name_uses_that_sources_parser():
    parsed = sources.parse("alertmanager", support.fixture("alertmanager/resolved.json"))
    assert [(e.source, e.action) for e in parsed.events] == [("alertmanager", "resolve")]


def test_an_unknown_source_names_the_known_ones():
    with pytest.raises(sources.UnknownSourceError, match="unknown alert source 'nagios'; known: "):
        sources.parse("nagios", b"{}")


@pytest.mark.parametrize("name", sorted(sources.SOURCES))
def test_every_source_refuses_an_empty_body(name):
    with pytest.raises(PayloadError, match="expected .*empty body"):
        sources.parse(name, b"")


@pytest.mark.parametrize("name", sorted(sources.SOURCES))
def test_every_source_refuses_bytes_that_are_not_utf8(name):
    with pytest.raises(PayloadError, match="UTF-8"):
        sources.parse(name, b"{\xff\xfe}")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"action": "escalate"}, "action 'escalate'"),
        ({"severity": "urgent"}, "severity 'urgent'"),
        ({"summary": "x" * 201}, "at most 200"),
        ({"occurred_at": datetime(2026, 11, 29)}, "no time zone"),  # noqa: DTZ001 - on purpose
    ],
)
def test_an_event_outside_the_contract_cannot_be_built(change, message):
    fields = {
        "action": "trigger",
        "dedup_key": "k",
        "severity": "high",
        "source": "generic",
        "summary": "s",
        "details": {},
        "occurred_at": datetime(2026, 11, 29, tzinfo=UTC),
    }
    with pytest.raises(ValueError, match=message):
        Event(**(fields | change))
