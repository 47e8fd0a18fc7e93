"""CONTRIBUTING.md describes the code that is there: every file or module it names exists.

A recipe that names a file which was renamed or never built sends a newcomer looking for
it; this test fails first. Paths with a `<placeholder>` are patterns, checked by their
folder.
"""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "src" / "citysoc"
CODE = re.compile(r"`([^`\s]+)`")
PATH_LIKE = re.compile(r"^(src|tests|docs|bench|\.ci)/|^[a-z_]+/[\w/.<>-]+\.(py|md|yaml|html)$")


def _named_paths(text: str) -> list[str]:
    return sorted({m for m in CODE.findall(text) if PATH_LIKE.match(m)})


def _exists(name: str) -> bool:
    name = name.split(":", 1)[0]  # "tests/samples.py:sample()" names a file and a function
    path = name.split("<", 1)[0].rsplit("/", 1)[0] if "<" in name else name
    for root in (REPO, SOURCE):
        if "*" in path and any(root.glob(path)):
            return True
        if "*" not in path and (root / path).exists():
            return True
    return False


def test_every_path_contributing_names_exists():
    text = (REPO / "CONTRIBUTING.md").read_text()
    named = _named_paths(text)
    assert len(named) > 20  # the recipes were really read
    assert [name for name in named if not _exists(name)] == []


def test_every_module_contributing_names_imports():
    text = (REPO / "CONTRIBUTING.md").read_text()
    modules = sorted({m for m in CODE.findall(text) if re.fullmatch(r"citysoc(\.\w+)+", m)})
    missing = [
        m
        for m in modules
        if not (REPO / "src" / Path(*m.split("."))).with_suffix(".py").exists()
        and not (REPO / "src" / Path(*m.split("."))).is_dir()
    ]
    assert missing == []
