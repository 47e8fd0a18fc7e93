"""Helpers for intel tests: import a list text as a version, synchronously."""

from __future__ import annotations

from citysoc.intel import importing, tasks


def import_text(text: str, *, source: str = "VNCERT botnet", name: str = "list.txt", **kw):
    """Receive and process a list; returns (version, ImportResult)."""
    src = importing.source_named(source)
    version, created = importing.receive(src, text.encode(), name, **kw)
    result = importing.process(version)
    tasks.queue_retro_hunt(version)  # as the import task and the CLI do
    version.refresh_from_db()
    return version, result
