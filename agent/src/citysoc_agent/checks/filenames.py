"""File-name and path IOCs: Loki's `REGEX;SCORE` lines, matched against the full path.

Matching is case-insensitive, on the path as it is and with `/` for `\\` (so one IOC
serves both Windows and Linux); a bad regex from the server is skipped, not fatal.
"""

from __future__ import annotations

import re
from typing import Any

from citysoc_agent.checks.base import Context, FileItem, Finding, Skip

NAME = "filenames"
LABEL = "File-name and path IOCs"
SCOPE = "file"


def prepare(ctx: Context) -> list[tuple[re.Pattern[str], int, str]]:
    patterns = []
    for entry in ctx.job.get("filename_iocs", []):
        try:
            regex = re.compile(str(entry["regex"]), re.IGNORECASE)
        except (KeyError, re.error):
            continue
        patterns.append((regex, int(entry.get("score", 60)), str(entry.get("description", ""))))
    if not patterns:
        raise Skip("no file-name IOCs in this job")
    return patterns


def run(prepared: Any, item: FileItem | None) -> list[Finding]:
    assert item is not None  # noqa: S101 - a file check
    path = item.path.replace("\\", "/")
    return [
        Finding(
            check=NAME,
            kind="file",
            score=score,
            title=f"file name matches {description or regex.pattern}",
            path=item.path,
            sha256=item.sha256,
            md5=item.md5,
            rule=regex.pattern,
        )
        for regex, score, description in prepared
        if regex.search(item.path) or regex.search(path)
    ]
