"""Scam links: references to domains on the blocklist (intel lists or a configured list).

Any `a`, `area`, `iframe`, `script` or `form action` whose host (or a parent domain) is
listed. One finding per page: high; critical when one of the links is hidden. Runs on
the page and on the crawled same-site pages. Without a blocklist the check is skipped.
"""

from __future__ import annotations

from dataclasses import replace

from citysoc.webwatch.checks import links
from citysoc.webwatch.checks.base import Finding, gettext_noop, title
from citysoc.webwatch.checks.context import Context
from citysoc.webwatch.checks.markup import ParsedPage

NAME = "scam_links"
LABEL = "Links to blocklisted domains"
MAX_LISTED = 20


async def run(ctx: Context) -> list[Finding]:
    if not ctx.target.blocklist:
        ctx.skipped[NAME] = "no blocklist configured"
        return []
    found = []
    for parsed in [ctx.parsed, *await ctx.crawled()]:
        found += scan(ctx, parsed)
    return found


def scan(ctx: Context, parsed: ParsedPage) -> list[Finding]:
    listed = [
        (link, entry)
        for link in parsed.links
        if (entry := links.blocklisted(link.host, ctx.target.blocklist))
    ]
    if not listed:
        return []
    hidden = [link for link, _ in listed if id(link) in parsed.hidden_link_ids]
    entries = sorted({entry for _, entry in listed})
    where = "" if parsed.url == ctx.target.url else parsed.url
    return [
        ctx.finding(
            NAME,
            "critical" if hidden else "high",
            replace(
                title(
                    gettext_noop("Links to %(n)s blocklisted domain(s): %(domains)s"),
                    n=len(entries),
                    domains=", ".join(entries[:5]),
                ),
                on=where,
            ),
            {
                "links": [links.describe(link) | {"listed_as": entry} for link, entry in listed][
                    :MAX_LISTED
                ],
                "snippet": listed[0][0].snippet(),
                "hidden": bool(hidden),
                "page": parsed.url,
            },
            key=f"blocklisted:{parsed.url}",
            page=parsed.url,
        )
    ]
