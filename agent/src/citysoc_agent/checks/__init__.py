"""The sweep checks, one module each, by name (`citysoc_agent.checks.base` says what one is)."""

from __future__ import annotations

from types import ModuleType

from citysoc_agent.checks import autoruns, clamav, connections, filenames, hashes, yara

CHECKS: dict[str, ModuleType] = {
    m.NAME: m for m in (connections, hashes, yara, filenames, autoruns, clamav)
}
