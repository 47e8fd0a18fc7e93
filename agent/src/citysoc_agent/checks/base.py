"""What every sweep check is: a module with NAME, LABEL, SCOPE, prepare() and run().

A "file" check is called once per file the sweep reads (the file is read once, hashed once,
and handed to every file check); a "host" check is called once per sweep. `prepare()`
raises `Skip` when the check cannot run on this host (no clamd, no yara-x, nothing to
look for); the sweep records the reason and carries on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

INFECTED = 80  # a score at or above this makes the host infected
SUSPICIOUS = 40  # at or above this, suspicious; below, a notice that changes no verdict


class Skip(Exception):
    """The check cannot run here; the message says why, for the operator."""


@dataclass(frozen=True)
class Finding:
    """One piece of evidence: never file contents, only where and what matched."""

    check: str
    kind: str  # "file", "connection", "dns", "autorun", …
    score: int  # 0-100
    title: str
    path: str = ""
    sha256: str = ""
    md5: str = ""
    rule: str = ""
    remote: str = ""
    process: str = ""
    pid: int | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FileItem:
    """A file as read by the sweep, with its three hashes computed once."""

    path: str
    size: int
    mtime: float
    data: bytes
    md5: str
    sha1: str
    sha256: str


@dataclass
class Context:
    """The job being run and what the agent remembers from its previous sweep."""

    job: dict[str, Any]
    previous: dict[str, Any] = field(default_factory=dict)
    remember: dict[str, Any] = field(default_factory=dict)  # written for the next sweep
    summary: dict[str, Any] = field(default_factory=dict)  # per-check figures for the result


class Check(Protocol):
    NAME: str
    LABEL: str
    SCOPE: str  # "file" or "host"

    def prepare(self, ctx: Context) -> Any: ...

    def run(self, prepared: Any, item: FileItem | None) -> list[Finding]: ...


def verdict(findings: list[Finding]) -> str:
    top = max((f.score for f in findings), default=0)
    if top >= INFECTED:
        return "infected"
    if top >= SUSPICIOUS:
        return "suspicious"
    return "clean"
