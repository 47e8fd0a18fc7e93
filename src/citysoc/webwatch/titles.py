"""Website finding titles in the reader's language.

A check (Django-free) writes its title as an English template marked for the catalogue
(`checks.base.gettext_noop`) plus its values; the finding keeps both, and every page
translates the template when it shows the finding.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from citysoc.webwatch.checks.base import Title


def parts_of(title: Title | None) -> dict[str, Any]:
    """What a finding stores of its title: {} when the check gave a plain line."""
    if title is None:
        return {}
    return {"template": title.template, "params": dict(title.params), "on": title.on}


def translated(parts: dict[str, Any]) -> str:
    """The title in the active language, or "" when `parts` cannot make one."""
    template = parts.get("template")
    if not isinstance(template, str) or not template:
        return ""
    try:
        text = _(template) % (parts.get("params") or {})
    except (KeyError, TypeError, ValueError):
        # A template changed since the finding was stored: show its English line instead.
        return ""
    page = parts.get("on")
    return _("%(title)s on %(page)s") % {"title": text, "page": page} if page else text
