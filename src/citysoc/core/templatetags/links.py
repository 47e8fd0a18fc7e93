"""`{{ url|external_link }}`: the one way a template shows a URL from outside.

Addresses from alert sources, intakes, lists, findings, feeds, monitors and
user forms become a link only when they are plain http(s); anything else
(`javascript:`, `data:`...) is shown as text, so one click can never run it.
"""

from __future__ import annotations

from django import template
from django.template.defaultfilters import truncatechars
from django.utils.html import format_html
from django.utils.safestring import SafeString

from citysoc.lib.links import is_safe_external_url

register = template.Library()


@register.filter
def external_link(url: object, max_chars: int | str | None = None) -> SafeString:
    """An escaped <a> opening in a new tab with no referrer, or the escaped text."""
    text = "" if url is None else str(url)
    label = truncatechars(text, int(max_chars)) if max_chars else text
    if not is_safe_external_url(text):
        return format_html('<span class="unsafe-link">{}</span>', label)
    return format_html(
        '<a href="{}" rel="noopener noreferrer" target="_blank">{}</a>', text.strip(), label
    )
