"""YARA rules with yara-x, from the rule sets the server manages (name and version).

Each rule set compiles in its own namespace; `filename`, `filepath`, `extension` are defined
as external variables (signature-base rules use them). Score: the rule's `score` meta if
present, else from `severity` (critical/high 90, medium 60, low 40), else 75.
"""

from __future__ import annotations

import os
from typing import Any

from citysoc_agent.checks.base import Context, FileItem, Finding, Skip

NAME = "yara"
LABEL = "YARA rules (yara-x)"
SCOPE = "file"
SEVERITY_SCORE = {"critical": 95, "high": 90, "medium": 60, "low": 40, "info": 20}
EXTERNALS = ("filename", "filepath", "extension", "filetype", "owner")


def prepare(ctx: Context) -> Any:
    sets = ctx.job.get("yara", [])
    if not sets:
        raise Skip("no YARA rule sets in this job")
    try:
        import yara_x
    except ImportError as exc:
        raise Skip("yara-x is not installed (pip install yara-x)") from exc
    compiler = yara_x.Compiler()
    for name in EXTERNALS:
        compiler.define_global(name, "")
    for ruleset in sets:
        compiler.new_namespace(_namespace(ruleset))
        try:
            compiler.add_source(str(ruleset["source"]))
        except Exception as exc:  # yara-x raises its own CompileError
            raise Skip(f"rule set {ruleset.get('name')}: {exc}") from exc
    scanner = yara_x.Scanner(compiler.build())
    scanner.set_timeout(30)
    versions = {_namespace(r): f"{r.get('name')} v{r.get('version')}" for r in sets}
    ctx.summary["yara"] = {"rule_sets": sorted(versions.values())}
    return scanner, versions


def _namespace(ruleset: dict[str, Any]) -> str:
    return "".join(c if c.isalnum() else "_" for c in str(ruleset.get("name", "rules")))


def run(prepared: Any, item: FileItem | None) -> list[Finding]:
    assert item is not None  # noqa: S101 - a file check
    scanner, versions = prepared
    name = os.path.basename(item.path)
    scanner.set_global("filename", name)
    scanner.set_global("filepath", item.path)
    scanner.set_global("extension", os.path.splitext(name)[1].lower())
    try:
        results = scanner.scan(item.data)
    except Exception:  # a rule timing out on one file must not stop the sweep
        return []
    return [_finding(m, versions, item) for m in results.matching_rules]


def _finding(match: Any, versions: dict[str, str], item: FileItem) -> Finding:
    meta = dict(match.metadata)
    score = _score(meta)
    author = str(meta.get("author", ""))
    title = str(meta.get("description", "")) or match.identifier
    return Finding(
        check=NAME,
        kind="file",
        score=score,
        title=title + (f" (rule by {author})" if author else ""),  # DRL 1.1: keep the author
        path=item.path,
        sha256=item.sha256,
        md5=item.md5,
        rule=f"{match.namespace}:{match.identifier}",
        detail={"rule_set": versions.get(match.namespace, match.namespace)},
    )


def _score(meta: dict[str, Any]) -> int:
    try:
        return max(0, min(100, int(meta["score"])))
    except (KeyError, TypeError, ValueError):
        return SEVERITY_SCORE.get(str(meta.get("severity", "")).lower(), 75)
