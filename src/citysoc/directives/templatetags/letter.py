"""`{{ directive.body|letter }}`: the Markdown subset a letter uses, as safe HTML.

The same subset the DOCX writer understands (documents.py): blank-line paragraphs,
"- " list lines and **bold**. Everything else is shown as typed, escaped.
"""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

BOLD = re.compile(r"\*\*(.+?)\*\*")


def _inline(text: str) -> str:
    return BOLD.sub(r"<strong>\1</strong>", escape(text))


def _block(block: str) -> str:
    lines = [line.strip() for line in block.splitlines() if line.strip()]
    if all(line.startswith("- ") for line in lines):
        items = "".join(f"<li>{_inline(line[2:])}</li>" for line in lines)
        return f"<ul>{items}</ul>"
    return f"<p>{_inline(' '.join(lines))}</p>"


@register.filter
def letter(text: str) -> SafeString:
    blocks = re.split(r"\n\s*\n", (text or "").strip())
    # Escaped before any tag is added, so the result is safe to mark as such.
    return mark_safe("".join(_block(b) for b in blocks if b.strip()))  # noqa: S308
