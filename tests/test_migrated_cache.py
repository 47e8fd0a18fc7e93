"""The migrated hub kept in pytest's cache (tests/support/migrated.py): reused while the
sources stay the same, made again when they change, and the old one removed."""

from __future__ import annotations

import sys

from tests.support import migrated

# Stands in for `citysoc migrate` (17 s of CPU): writes the database file and counts runs.
FAKE_MIGRATE = [
    sys.executable,
    "-c",
    "import os, pathlib; d = pathlib.Path(os.environ['CITYSOC_DATA_DIR']); "
    "(d / 'citysoc.sqlite3').write_text('migrated'); "
    "runs = d.parent / 'runs'; runs.write_text(str(int(runs.read_text() or 0) + 1))",
]


def test_the_key_follows_the_sources(tmp_path, monkeypatch):
    sources = tmp_path / "citysoc"
    sources.mkdir()
    (sources / "models.py").write_text("A = 1\n")
    (sources / "__pycache__").mkdir()
    monkeypatch.setattr(migrated, "SOURCES", sources)
    first = migrated.sources_key()
    (sources / "__pycache__" / "models.cpython-311.pyc").write_bytes(b"\0")
    assert migrated.sources_key() == first  # bytecode is not a source
    (sources / "models.py").write_text("A = 2\n")
    assert migrated.sources_key() != first
    (sources / "models.py").write_text("A = 1\n")
    assert migrated.sources_key() == first


def test_a_kept_database_is_reused_until_the_sources_change(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "runs").write_text("0")
    monkeypatch.setattr(migrated, "CITYSOC", FAKE_MIGRATE)  # given `migrate …` as arguments
    monkeypatch.setattr(migrated, "sources_key", lambda: "one")

    first = migrated.template(cache)
    again = migrated.template(cache)
    assert first == again == cache / "one" / "citysoc.sqlite3"
    assert (cache / "runs").read_text() == "1"  # migrated once for both runs

    monkeypatch.setattr(migrated, "sources_key", lambda: "two")
    changed = migrated.template(cache)
    assert changed == cache / "two" / "citysoc.sqlite3"
    assert (cache / "runs").read_text() == "2"
    assert not (cache / "one").exists()  # the database of the old sources is gone
