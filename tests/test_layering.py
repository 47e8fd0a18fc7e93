"""The apps import one way only: each imports just the apps below it in `ALLOWED`.

Every import counts, at the top of a module or inside a function: a lazy import is still a
dependency. Migrations are exempt (Django needs their cross-app dependencies). An area that
needs a lower app to show its figures registers them with that app's registry (dashboard
boxes, work items, scoreboard components, directive area figures, heartbeats, demo steps)
instead of being imported by it. `docs/architecture.md` ("The apps and what each owns")
mirrors this table: change both together.
"""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ROOT = REPO / "src" / "citysoc"

# app → the apps it may import (besides itself). Listed bottom-up.
ALLOWED: dict[str, set[str]] = {
    "engine": set(),
    "lib": set(),
    "formats": set(),
    "core": {"lib"},
    "notify": {"core", "lib"},
    "inventory": {"core", "notify", "engine", "lib"},
    "directives": {"core", "inventory", "notify", "lib"},
    "compliance": {"core", "inventory", "directives", "notify", "lib"},
    "duty": {"core", "directives", "notify", "lib"},
    "reports": {"core", "directives", "notify", "lib"},
    "alerts": {"core", "inventory", "duty", "notify", "engine", "lib"},
    "intel": {"core", "inventory", "directives", "alerts", "notify", "engine", "lib"},
    "awareness": {"core", "directives", "intel", "notify", "lib"},
    "isps": {"core", "directives", "alerts", "intel", "notify", "lib"},
    "webwatch": {"core", "inventory", "alerts", "intel", "notify", "lib"},
    "sweep": {"core", "inventory", "directives", "alerts", "intel", "notify", "lib"},
    "incidents": {
        "core",
        "inventory",
        "directives",
        "compliance",
        "alerts",
        "intel",
        "notify",
        "lib",
    },
    "vulns": {
        "core",
        "inventory",
        "directives",
        "compliance",
        "alerts",
        "intel",
        "notify",
        "lib",
    },
}


def _packages() -> set[str]:
    return {p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file()}


def _imported(node: ast.AST, packages: set[str]) -> list[str]:
    """The citysoc packages one import statement names (absolute imports only)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
        names = [node.module]
        if node.module == "citysoc":  # from citysoc import intel
            names = [f"citysoc.{alias.name}" for alias in node.names]
    else:
        return []
    found = []
    for name in names:
        parts = name.split(".")
        if parts[0] == "citysoc" and len(parts) > 1 and parts[1] in packages:
            found.append(parts[1])
    return found


def imports_against_the_layering(root: Path = ROOT) -> list[str]:
    """`file:line: app imports other` for every import the table does not allow."""
    packages = _packages() if root == ROOT else {p.name for p in root.iterdir() if p.is_dir()}
    wrong = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if len(rel.parts) < 2 or "migrations" in rel.parts:
            continue  # project modules (settings, urls, cli) wire the apps together
        app = rel.parts[0]
        allowed = ALLOWED.get(app, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            for other in _imported(node, packages):
                if other != app and other not in allowed:
                    wrong.append(f"{rel}:{node.lineno}: {app} imports {other}")
    return wrong


def test_every_app_is_in_the_layering_table():
    assert _packages() - set(ALLOWED) == set(), "add the new app to ALLOWED and the docs"


def test_the_layering_has_no_cycle():
    graphlib.TopologicalSorter(ALLOWED).prepare()  # raises CycleError naming the cycle


def test_no_app_imports_an_app_above_it():
    wrong = imports_against_the_layering()
    assert not wrong, "imports against the layering:\n" + "\n".join(wrong)


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    (tmp_path / "core").mkdir()
    (tmp_path / "intel").mkdir()
    (tmp_path / "core" / "dashboard.py").write_text(
        "from citysoc.core import landing\n\n\ndef boxes():\n    from citysoc.intel import x\n"
    )
    (tmp_path / "core" / "migrations").mkdir()
    (tmp_path / "core" / "migrations" / "0001_initial.py").write_text("import citysoc.intel\n")
    assert imports_against_the_layering(tmp_path) == ["core/dashboard.py:5: core imports intel"]


def test_the_documented_table_matches():
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`") and cells[0].strip("`") in ALLOWED:
            table[cells[0].strip("`")] = {
                word.strip("`,;") for word in cells[2].split() if word.startswith("`")
            }
    assert {app: table.get(app) for app in ALLOWED} == ALLOWED
