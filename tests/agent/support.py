"""Helpers for the agent's tests: the EICAR string, files as the sweep reads them."""

from __future__ import annotations

import hashlib
from pathlib import Path

from citysoc_agent.checks.base import FileItem

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "agent"
# The standard anti-virus test string, kept in two pieces so this file is not itself flagged.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
EICAR_RULE = """
rule EICAR_Test_File {
    meta:
        description = "EICAR anti-virus test file"
        score = 100
    strings:
        $eicar = "EICAR-STANDARD-ANTIVIRUS-TEST-FILE"
    condition:
        $eicar at 33 or $eicar
}
"""


def item(path: str, data: bytes) -> FileItem:
    return FileItem(
        path=path,
        size=len(data),
        mtime=0.0,
        data=data,
        md5=hashlib.md5(data).hexdigest(),  # noqa: S324 - an IOC format, not security
        sha1=hashlib.sha1(data).hexdigest(),  # noqa: S324
        sha256=hashlib.sha256(data).hexdigest(),
    )


def loki_lines(name: str) -> list[tuple[str, str]]:
    rows = []
    for line in (FIXTURES / name).read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            first, _, second = line.partition(";")
            rows.append((first, second))
    return rows
