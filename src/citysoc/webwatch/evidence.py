"""Show a finding's evidence readably: snippets as code, diffs line by line, links as text.

Evidence comes from the checks as a plain dict whose keys depend on the check (snippet,
link, hidden element, diff…). Nothing in it is trusted: it is what an attacker put on a
page, so it is always shown escaped and links are never made clickable.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

CODE_KEYS = {"snippet", "html", "element", "hidden_element", "selector", "meta", "script"}
DIFF_KEYS = {"diff", "changes"}
TEXT_LIMIT = 20_000  # characters of one value shown; the rest is cut with a note


@dataclass
class Row:
    label: str
    kind: str  # "text" | "code" | "diff" | "list" | "table"
    text: str = ""
    lines: list[tuple[str, str]] = field(default_factory=list)  # diff: (css class, line)
    items: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    table: list[list[str]] = field(default_factory=list)


def rows(evidence: dict | None) -> list[Row]:
    """One display row per evidence key, in the order the check wrote them."""
    return [_row(str(key), value) for key, value in (evidence or {}).items()]


def _label(key: str) -> str:
    return key.replace("_", " ").strip().capitalize()


def _row(key: str, value) -> Row:
    label = _label(key)
    if key in DIFF_KEYS and isinstance(value, str | list):
        return Row(label, "diff", lines=diff_lines(value))
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        columns = list(dict.fromkeys(k for v in value for k in v))
        table = [[_text(v.get(c, "")) for c in columns] for v in value]
        return Row(label, "table", columns=[_label(c) for c in columns], table=table)
    if isinstance(value, list):
        return Row(label, "list", items=[_text(v) for v in value])
    if isinstance(value, dict):
        return Row(label, "list", items=[f"{k}: {_text(v)}" for k, v in value.items()])
    text = _text(value)
    kind = "code" if key in CODE_KEYS or "\n" in text or "<" in text else "text"
    return Row(label, kind, text=text)


def _text(value) -> str:
    text = "" if value is None else str(value)
    if len(text) > TEXT_LIMIT:
        return text[:TEXT_LIMIT] + f"\n… ({len(text) - TEXT_LIMIT} more characters)"
    return text


def diff_lines(diff: str | list) -> list[tuple[str, str]]:
    """A unified diff (text or lines) as (css class, line): added, removed, hunk, same."""
    lines = diff.splitlines() if isinstance(diff, str) else [_text(x) for x in diff]
    out = []
    for line in lines:
        if line.startswith(("+++", "---")):
            out.append(("diff-file", line))
        elif line.startswith("+"):
            out.append(("diff-add", line))
        elif line.startswith("-"):
            out.append(("diff-del", line))
        elif line.startswith("@@"):
            out.append(("diff-hunk", line))
        else:
            out.append(("diff-same", line))
    return out


# The checks know no Django, so their LABELs are English: the translatable names live here.
CHECK_LABELS = {
    "availability": _("Availability"),
    "tls": _("TLS certificate"),
    "domain_expiry": _("Domain registration expiry"),
    "defacement": _("Defacement"),
    "injected_links": _("Injected gambling/spam links"),
    "scam_links": _("Links to blocklisted domains"),
    "cloaking": _("Cloaking (search engines see another page)"),
}


def check_label(name: str) -> str:
    """The check's name for people: translated if known, else the registry's LABEL."""
    if name in CHECK_LABELS:
        return str(CHECK_LABELS[name])
    from citysoc.webwatch.checks import CHECKS

    module = CHECKS.get(name)
    return str(getattr(module, "LABEL", name)) if module is not None else name
