"""Defacement: the page against its accepted baseline, and known defacer signatures.

The fingerprint (stored by the caller as the baseline when accepted) is the visible text
(scripts and styles removed, whitespace normalised, one line per text node), the title,
the DOM shape (counts of parent>child tag pairs) and counts of links, images, forms,
scripts and iframes. Change = mean of the text change (1 - difflib ratio over lines) and
the structure change (1 - weighted Jaccard of the tag pairs).

Findings: a signature ("hacked by", "defaced by", "h4ck3d", zone-h mirror notice, "Tiến
hành hack"…) anywhere in the text — critical, baseline or not; weaker words ("owned by",
"was here") only in the title or h1/h2 headings — critical;
change >= `target.change_threshold` — medium, high from 0.8, with a unified diff.
"""

from __future__ import annotations

import difflib
import hashlib
from collections import Counter
from typing import Any

from citysoc.webwatch.checks import terms
from citysoc.webwatch.checks.base import Finding, gettext_noop, title
from citysoc.webwatch.checks.context import Context
from citysoc.webwatch.checks.markup import ParsedPage

NAME = "defacement"
LABEL = "Defacement"
VERSION = 1
MAX_LINES = 3000
DIFF_LINES = 40
HIGH_CHANGE = 0.8


async def run(ctx: Context) -> list[Finding]:
    parsed = ctx.parsed
    if parsed.doc is None:
        ctx.skipped[NAME] = "no HTML page to fingerprint"
        return []
    ctx.fingerprint = fingerprint(parsed)
    found = _markers(ctx, parsed)
    baseline = ctx.target.baseline
    if not baseline:
        return found
    if baseline.get("version") != VERSION:
        ctx.skipped[NAME] = "the baseline is from another version: accept the page again"
        return found
    return found + _changed(ctx, baseline, ctx.fingerprint)


def fingerprint(parsed: ParsedPage) -> dict[str, Any]:
    """Text and structure of a page, JSON-ready (the baseline format)."""
    lines = parsed.text_lines[:MAX_LINES]
    tags = [
        (el.getparent().tag if el.getparent() is not None else "", el.tag)
        for el in parsed.doc.iter()
        if isinstance(el.tag, str)
    ]
    pairs = Counter(f"{parent}>{tag}" for parent, tag in tags)
    kinds = Counter(tag for _, tag in tags)
    text = "\n".join(lines)
    return {
        "version": VERSION,
        "title": parsed.title,
        "lines": lines,
        "pairs": dict(pairs),
        "counts": {k: kinds.get(k, 0) for k in ("a", "img", "form", "script", "iframe")},
        "text_sha256": hashlib.sha256(text.encode()).hexdigest(),
        "shape_sha256": hashlib.sha256(" ".join(t for _, t in tags).encode()).hexdigest(),
    }


def text_change(before: list[str], after: list[str]) -> float:
    return 1.0 - difflib.SequenceMatcher(None, before, after).ratio()


def structure_change(before: dict[str, int], after: dict[str, int]) -> float:
    keys = before.keys() | after.keys()
    most = sum(max(before.get(k, 0), after.get(k, 0)) for k in keys)
    least = sum(min(before.get(k, 0), after.get(k, 0)) for k in keys)
    return 1.0 - least / most if most else 0.0


def _changed(ctx: Context, baseline: dict[str, Any], current: dict[str, Any]) -> list[Finding]:
    if (
        baseline.get("text_sha256") == current["text_sha256"]
        and baseline.get("shape_sha256") == current["shape_sha256"]
    ):
        return []
    text = text_change(baseline.get("lines", []), current["lines"])
    shape = structure_change(baseline.get("pairs", {}), current["pairs"])
    change = (text + shape) / 2
    if change < ctx.target.change_threshold:
        return []
    before, now = baseline.get("lines", []), current["lines"]
    diff = list(difflib.unified_diff(before, now, "baseline", "now", n=1, lineterm=""))
    kept = set(before) & set(now)
    return [
        ctx.finding(
            NAME,
            "high" if change >= HIGH_CHANGE else "medium",
            title(
                gettext_noop(
                    "Page changed %(change)s from its baseline (text %(text)s, structure %(shape)s)"
                ),
                change=f"{change:.0%}",
                text=f"{text:.0%}",
                shape=f"{shape:.0%}",
            ),
            {
                "change": round(change, 3),
                "text_change": round(text, 3),
                "structure_change": round(shape, 3),
                "threshold": ctx.target.change_threshold,
                "title_before": baseline.get("title", ""),
                "title_now": current["title"],
                "counts_before": baseline.get("counts", {}),
                "counts_now": current["counts"],
                "removed": [line for line in before if line not in kept][: DIFF_LINES // 2],
                "added": [line for line in now if line not in kept][: DIFF_LINES // 2],
                "diff": "\n".join(diff[: DIFF_LINES * 2]),
            },
            key="changed",
        )
    ]


def _markers(ctx: Context, parsed: ParsedPage) -> list[Finding]:
    strong = terms.deface_markers(f"{parsed.title}\n{parsed.text}")
    prominent = " ".join([parsed.title, *parsed.doc.xpath("//h1//text() | //h2//text()")])
    weak = terms.deface_markers(prominent, strong_only=False)
    markers = strong + [w for w in weak if w not in strong]
    if not markers:
        return []
    at = parsed.text.lower().find(markers[0])
    return [
        ctx.finding(
            NAME,
            "critical",
            title(
                gettext_noop("Defacement signature on the page: “%(marker)s”"), marker=markers[0]
            ),
            {
                "markers": markers,
                "title": parsed.title,
                "snippet": parsed.text[max(at - 100, 0) : at + 200] if at >= 0 else parsed.title,
            },
            key="marker",
        )
    ]
