"""The agent's own files: its identity (agent id, secret, server), checkpoints, last sweep."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any


def default_dir() -> Path:
    if os.environ.get("CITYSOC_AGENT_HOME"):
        return Path(os.environ["CITYSOC_AGENT_HOME"])
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA", "C:\\ProgramData")) / "citysoc-agent"
    if os.geteuid() == 0:
        return Path("/var/lib/citysoc-agent")
    return Path.home() / ".local" / "state" / "citysoc-agent"


class State:
    """Small JSON files in one folder; each written atomically (temp file + rename)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or default_dir()

    def read(self, name: str) -> dict[str, Any]:
        path = self.folder / f"{name}.json"
        if not path.exists():
            return {}
        try:
            return dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return {}

    def write(self, name: str, data: dict[str, Any]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{name}.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        if sys.platform != "win32":
            tmp.chmod(0o600)  # the identity file holds the host's secret
        tmp.replace(path)

    def remove(self, name: str) -> None:
        (self.folder / f"{name}.json").unlink(missing_ok=True)
