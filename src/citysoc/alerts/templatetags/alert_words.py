"""How the alert pages name who acted.

Who acknowledged or resolved an alert is stored as written at the time (it is data,
searched for in timelines): a person's name, a source's name, or "<name> (link)" when the
person used the signed link of a notification. The pages say the last in words.
"""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

register = template.Library()

LINK_SUFFIX = " (link)"  # what alerts.views.link stores after the person's name


@register.filter
def actor(stored: str) -> str:
    if not stored or not stored.endswith(LINK_SUFFIX):
        return stored
    who = stored.removesuffix(LINK_SUFFIX)
    if who == "someone":
        who = _("someone")
    return _("%(who)s (through the link in a notification)") % {"who": who}
