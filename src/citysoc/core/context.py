"""Template context: the navigation, with a place for every area in the design."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from citysoc.core.tenancy import scope_for

# (url name or None while the area is not built yet, label). Areas that are not built
# are shown greyed, so users see where the product is going and nothing 404s.
NAVIGATION = [
    ("core:dashboard", _("Dashboard")),
    ("core:my-work", _("Work to do")),
    ("core:unit-list", _("Units")),
    ("core:person-list", _("People")),
    ("inventory:system-list", _("Information systems")),
    ("inventory:host-list", _("Hosts")),
    ("inventory:range-list", _("IP ranges")),
    ("inventory:domain-list", _("Domains")),
    ("inventory:lookup", _("Who owns…?")),
    ("inventory:import-start", _("Import / export")),
    ("directives:home", _("Directives")),
    ("compliance:home", _("Compliance")),
    ("intel:home", _("Botnet lists")),
    ("duty:home", _("Duty")),
    ("alerts:home", _("Alerts")),
    ("notify:channel-list", _("Notifications")),
    ("webwatch:home", _("Websites")),
    ("vulns:home", _("Vulnerabilities")),
    ("sweep:home", _("Endpoint sweep")),
    ("incidents:home", _("Incidents")),
    ("awareness:home", _("Awareness")),
    ("isps:request-list", _("ISP requests")),
    ("reports:home", _("Scoreboard and reports")),
    ("core:audit-list", _("Audit log")),
]


def navigation(request) -> dict:
    items = []
    scope = scope_for(getattr(request, "user", None))
    current = getattr(getattr(request, "resolver_match", None), "view_name", "") or ""
    best: tuple[int, dict | None] = (
        0,
        None,
    )  # (length of the matching section, item): the most specific one wins
    for name, label in NAVIGATION:
        if name == "core:audit-list" and not scope.is_city:
            continue
        try:
            url = reverse(name) if ":" in name else None
        except NoReverseMatch:
            url = None
        item = {"url": url, "label": label, "active": False}
        items.append(item)
        # An area's home lights up on every page of that area (intel:task-list too), unless
        # the page has its own, more specific item.
        section = name.split(":")[0] + ":" if name.endswith(":home") else name.split("-")[0]
        if url and current.startswith(section) and len(section) > best[0]:
            best = (len(section), item)
    if best[1] is not None:
        best[1]["active"] = True
    return {"nav_items": items, "user_scope": scope}
