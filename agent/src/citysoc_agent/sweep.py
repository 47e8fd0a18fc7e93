"""One sweep: walk the chosen paths within the limits, run every check, build the result.

Every file is read once (up to the size limit), hashed once (MD5, SHA1, SHA256) and handed
to each file check. The walk is in sorted order so that a checkpoint (files done, findings
so far) lets a sweep killed half-way resume where it stopped. Only metadata and hashes
leave the host: never file contents.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from citysoc_agent import VERSION
from citysoc_agent.checks import CHECKS
from citysoc_agent.checks.base import Context, FileItem, Finding, Skip, verdict
from citysoc_agent.state import State

logger = logging.getLogger(__name__)

DEFAULTS = {
    "max_files": 200_000,
    "max_seconds": 3600,
    "max_file_bytes": 32 * 1024 * 1024,
    "modified_within_days": 0,  # 0: any age
    "niceness": 10,
}
LINUX_PATHS = ["/tmp", "/var/tmp", "/dev/shm", "/home", "/root", "/var/www", "/opt", "/etc"]
WINDOWS_PATHS = ["C:\\Users", "C:\\ProgramData", "C:\\Windows\\Temp", "C:\\inetpub"]
SKIP_DIRS = {"/proc", "/sys", "/dev/pts", "/run/user"}
CHECKPOINT_EVERY = 500
MAX_FINDINGS = 1000


def default_paths() -> list[str]:
    return WINDOWS_PATHS if sys.platform == "win32" else LINUX_PATHS


def lower_priority(niceness: int) -> None:
    """Run below normal priority (CPU, and I/O where psutil can) so users do not notice."""
    try:
        import psutil

        me = psutil.Process()
        if sys.platform == "win32":
            me.nice(psutil.BELOW_NORMAL_PRIORITY_CLASS)
        else:
            me.nice(max(me.nice(), niceness))
            if hasattr(me, "ionice"):
                me.ionice(psutil.IOPRIO_CLASS_IDLE)
    except (ImportError, OSError, AttributeError):
        if hasattr(os, "nice"):
            os.nice(niceness)
    except Exception:  # psutil.AccessDenied: keep the priority we have
        logger.debug("could not lower priority", exc_info=True)


def walk(paths: list[str], exclude: list[str]) -> Iterator[str]:
    """Regular files under `paths`, in a stable order, without following links."""
    skipped = SKIP_DIRS | {e.rstrip("/\\") for e in exclude}
    for top in paths:
        if os.path.isfile(top):
            yield top
            continue
        for folder, dirs, files in os.walk(top, followlinks=False):
            dirs[:] = sorted(d for d in dirs if os.path.join(folder, d) not in skipped)
            for name in sorted(files):
                yield os.path.join(folder, name)


def read_file(path: str, limit: int, newer_than: float) -> FileItem | None:
    try:
        st = os.lstat(path)
        if not os.path.isfile(path) or os.path.islink(path) or st.st_size > limit:
            return None
        if newer_than and st.st_mtime < newer_than:
            return None
        data = Path(path).read_bytes()
    except OSError:
        return None
    return FileItem(
        path=path,
        size=len(data),
        mtime=st.st_mtime,
        data=data,
        md5=hashlib.md5(data, usedforsecurity=False).hexdigest(),
        sha1=hashlib.sha1(data, usedforsecurity=False).hexdigest(),
        sha256=hashlib.sha256(data).hexdigest(),
    )


class Sweep:
    """Run one job; `result()` is the payload that is signed and uploaded."""

    def __init__(self, job: dict[str, Any], state: State, *, paths: list[str] | None = None):
        self.job = {**DEFAULTS, **job}
        if paths:
            self.job["paths"] = paths
        self.job.setdefault("paths", default_paths())
        self.state = state
        self.ctx = Context(job=self.job, previous=state.read("last_sweep"))
        self.findings: list[Finding] = []
        self.checks: dict[str, dict[str, str]] = {}
        self.stats: dict[str, Any] = {"files": 0, "skipped": 0, "bytes": 0, "stopped": ""}
        self.started = dt.datetime.now(dt.timezone.utc)

    @property
    def key(self) -> str:
        return f"{self.job.get('id') or 'adhoc'}:{','.join(self.job['paths'])}"

    def prepared(self, scope: str) -> list[tuple[Any, Any]]:
        ready = []
        wanted = self.job.get("checks") or list(CHECKS)
        for name, module in CHECKS.items():
            if scope != module.SCOPE or name not in wanted:
                continue
            try:
                ready.append((module, module.prepare(self.ctx)))
                self.checks[name] = {"status": "ran"}
            except Skip as exc:
                self.checks[name] = {"status": "skipped", "reason": str(exc)}
        return ready

    def run(self) -> dict[str, Any]:
        lower_priority(int(self.job["niceness"]))
        for module, prepared in self.prepared("host"):
            self._add(module.run(prepared, None))
        self._files(self.prepared("file"))
        self.state.write("last_sweep", {**self.ctx.previous, **self.ctx.remember})
        self.state.remove("checkpoint")
        return self.result()

    def _files(self, checks: list[tuple[Any, Any]]) -> None:
        if not checks:
            return
        point = self.state.read("checkpoint")
        resume = int(point.get("done", 0)) if point.get("key") == self.key else 0
        if resume:
            self.findings += [Finding(**f) for f in point.get("findings", [])]
            self.stats.update(point.get("stats", {}))
        self.stats["resumed_from"] = resume
        days = int(self.job["modified_within_days"] or 0)
        newer_than = time.time() - days * 86400 if days else 0.0
        deadline = time.monotonic() + int(self.job["max_seconds"])
        for index, path in enumerate(walk(self.job["paths"], self.job.get("exclude", []))):
            if index < resume:
                continue
            if self._should_stop(deadline):
                break
            item = read_file(path, int(self.job["max_file_bytes"]), newer_than)
            if item is None:
                self.stats["skipped"] += 1
            else:
                self.stats["files"] += 1
                self.stats["bytes"] += item.size
                for module, prepared in checks:
                    self._add(module.run(prepared, item))
            if index % CHECKPOINT_EVERY == CHECKPOINT_EVERY - 1:
                self._checkpoint(index + 1)

    def _should_stop(self, deadline: float) -> bool:
        if self.stats["files"] >= int(self.job["max_files"]):
            self.stats["stopped"] = "max_files"
        elif time.monotonic() > deadline:
            self.stats["stopped"] = "max_seconds"
        return bool(self.stats["stopped"])

    def _checkpoint(self, done: int) -> None:
        findings = [asdict(f) for f in self.findings]
        self.state.write(
            "checkpoint", {"key": self.key, "done": done, "findings": findings, "stats": self.stats}
        )

    def _add(self, found: list[Finding]) -> None:
        room = MAX_FINDINGS - len(self.findings)
        self.findings += found[: max(room, 0)]

    def result(self) -> dict[str, Any]:
        summary = self.ctx.summary
        return {
            "agent_version": VERSION,
            "job": self.job.get("id"),
            "campaign": self.job.get("campaign"),
            "started_at": self.started.isoformat(),
            "finished_at": dt.datetime.now(dt.timezone.utc).isoformat(),
            "paths": self.job["paths"],
            "stats": self.stats,
            "checks": self.checks,
            "summary": summary,
            "connections": summary.get("connections", {}).get("checked", 0),
            "hits": [asdict(f) for f in self.findings],
            "verdict": verdict(self.findings),
        }


def short(result: dict[str, Any]) -> dict[str, Any]:
    """The summary `sweep --once` prints: files, hits, connections, verdict."""
    keep = ("check", "title", "path", "rule", "remote", "process", "score")
    return {
        "files": result["stats"]["files"],
        "hits": [{k: h[k] for k in keep if h.get(k)} for h in result["hits"]],
        "connections": result["connections"],
        "verdict": result["verdict"],
    }
