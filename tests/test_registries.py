"""One convention for every registry of external formats, checks and channels.

Each entry of a registry is one module of the registry's package, registered under its
name, with a docstring and a label, the callables the registry calls, a fixture folder
`tests/fixtures/<registry>/<name>/` with at least one file, its own test file, and a row
in the table of its documentation page. A new scanner parser, sweep check or form gets
its line in REGISTRIES below, and from then on cannot be half-added.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"


@dataclass(frozen=True)
class Registry:
    """Where one registry's entries, fixtures, tests and documentation live."""

    name: str  # also the fixture folder: tests/fixtures/<name>/<entry>/
    package: str
    attribute: str  # the dict in the package's __init__
    key: str  # the module attribute the dict is keyed by
    callables: tuple[str, ...]
    tests: str  # folder of the test files, test_<entry>.py
    doc: str  # the page whose table lists every entry as `entry`
    helpers: frozenset[str] = frozenset({"base"})  # modules of the package that are not entries
    django_free: bool = True


REGISTRIES = (
    Registry(
        "engine",
        "citysoc.engine.readers",
        "READERS",
        "NAME",
        ("sniff", "parse_lines", "read"),
        "tests/engine",
        "docs/engine.md",
        frozenset({"base", "_common"}),
    ),
    Registry(
        "intel",
        "citysoc.intel.formats",
        "FORMATS",
        "NAME",
        ("sniff", "parse"),
        "tests/intel/formats",
        "docs/intel.md",
    ),
    Registry(
        "alerts",
        "citysoc.alerts.sources",
        "SOURCES",
        "NAME",
        ("parse",),
        "tests/alerts/sources",
        "docs/alerts-intake.md",
        frozenset({"base", "syslog_lines"}),
    ),
    Registry(
        "webwatch",
        "citysoc.webwatch.checks",
        "CHECKS",
        "NAME",
        ("run",),
        "tests/webwatch/checks",
        "docs/webwatch-checks.md",
        frozenset({"base", "context", "markup", "terms", "links"}),
    ),
    Registry(
        "notify",
        "citysoc.notify.transports",
        "TRANSPORTS",
        "KIND",
        ("send",),
        "tests/notify/transports",
        "docs/notifications.md",
        django_free=False,  # e-mail goes through Django's mail settings
    ),
    Registry(
        "agent",
        "citysoc_agent.checks",
        "CHECKS",
        "NAME",
        ("prepare", "run"),
        "tests/agent/checks",
        "docs/sweep.md",
    ),
    Registry(
        "vulns",
        "citysoc.vulns.parsers",
        "PARSERS",
        "NAME",
        ("sniff", "parse"),
        "tests/vulns/parsers",
        "docs/scanners.md",
    ),
)


def _package(registry: Registry) -> ModuleType:
    return importlib.import_module(registry.package)


def _module_names(registry: Registry) -> list[str]:
    path = _package(registry).__path__
    return sorted(m.name for m in pkgutil.iter_modules(path) if m.name not in registry.helpers)


ENTRIES = [(r, name) for r in REGISTRIES for name in _module_names(r)]


@pytest.mark.parametrize(("registry", "name"), ENTRIES, ids=[f"{r.name}:{n}" for r, n in ENTRIES])
def test_every_entry_has_its_module_fixture_test_and_doc_row(registry, name):
    module = importlib.import_module(f"{registry.package}.{name}")
    entries = getattr(_package(registry), registry.attribute)
    assert getattr(module, registry.key) == name, "the module's name is its registry key"
    assert entries[name] is module, f"add {name} to {registry.attribute}"
    assert module.__doc__ and module.__doc__.strip(), "a docstring saying what it reads"
    assert str(getattr(module, "LABEL", "")).strip(), "a LABEL for people"
    missing = [c for c in registry.callables if not callable(getattr(module, c, None))]
    assert missing == []
    folder = FIXTURES / registry.name / name
    assert folder.is_dir() and any(folder.iterdir()), f"no fixture in {folder.relative_to(REPO)}"
    assert (REPO / registry.tests / f"test_{name}.py").exists()
    rows = [line for line in (REPO / registry.doc).read_text().splitlines() if line.startswith("|")]
    assert any(re.search(rf"`{name}`", row) for row in rows), (
        f"no row for `{name}` in {registry.doc}"
    )


@pytest.mark.parametrize("registry", REGISTRIES, ids=[r.name for r in REGISTRIES])
def test_every_registered_entry_is_a_module_of_the_package(registry):
    assert sorted(getattr(_package(registry), registry.attribute)) == _module_names(registry)


@pytest.mark.parametrize("registry", REGISTRIES, ids=[r.name for r in REGISTRIES])
def test_every_fixture_folder_belongs_to_an_entry(registry):
    folders = sorted(p.name for p in (FIXTURES / registry.name).iterdir() if p.is_dir())
    strays = [f for f in folders if f not in _module_names(registry) and f != "clean"]
    assert strays == []


@pytest.mark.parametrize("registry", [r for r in REGISTRIES if r.django_free], ids=lambda r: r.name)
def test_registries_of_parsers_and_checks_do_not_import_django(registry):
    code = f"import sys, {registry.package}; assert 'django' not in sys.modules"
    # sys.path carries pytest's `pythonpath` (agent/src for the sweep agent's checks).
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


def test_no_fixture_is_kept_twice():
    seen: dict[bytes, Path] = {}
    twice = []
    for path in sorted(FIXTURES.rglob("*")):
        if path.is_file() and path.stat().st_size > 0:
            data = path.read_bytes()
            if data in seen:
                twice.append(
                    (str(seen[data].relative_to(FIXTURES)), str(path.relative_to(FIXTURES)))
                )
            seen.setdefault(data, path)
    assert twice == []
