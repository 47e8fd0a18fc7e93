"""Known-bad file hashes (MD5, SHA1 or SHA256, Loki's `HASH;DESCRIPTION` list from the server).

A file whose hash is listed is evidence enough: score 100.
"""

from __future__ import annotations

from typing import Any

from citysoc_agent.checks.base import Context, FileItem, Finding, Skip

NAME = "hashes"
LABEL = "File hashes (MD5/SHA1/SHA256)"
SCOPE = "file"


def prepare(ctx: Context) -> dict[str, str]:
    listed = {}
    for entry in ctx.job.get("hashes", []):
        value = str(entry.get("hash", "")).strip().lower()
        if len(value) in (32, 40, 64):
            listed[value] = str(entry.get("description", ""))
    if not listed:
        raise Skip("no hashes in this job")
    return listed


def run(prepared: Any, item: FileItem | None) -> list[Finding]:
    assert item is not None  # noqa: S101 - a file check
    for value in (item.sha256, item.sha1, item.md5):
        if value in prepared:
            return [
                Finding(
                    check=NAME,
                    kind="file",
                    score=100,
                    title=f"listed hash: {prepared[value] or value}",
                    path=item.path,
                    sha256=item.sha256,
                    md5=item.md5,
                    rule=value,
                )
            ]
    return []
