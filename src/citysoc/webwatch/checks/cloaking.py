"""Cloaking: the page as a search-engine crawler gets it against what a browser gets.

One more request with Googlebot's user agent and a google.com Referer (cloakers key on
either). Compared: visible text lines (difflib) and the foreign domains linked.
Findings: the crawler gets betting words or links the browser does not, or is sent to a
betting/blocklisted domain — critical, with both snippets; the crawler is sent to another
domain — high; the two differ by >= 50 % of the text or in >= 3 linked foreign domains —
medium. Sites that check Googlebot by reverse DNS cannot be caught from here.
"""

from __future__ import annotations

import difflib
from typing import Any

from citysoc.webwatch.checks import links, terms
from citysoc.webwatch.checks.base import Finding, gettext_noop, title
from citysoc.webwatch.checks.context import Context
from citysoc.webwatch.checks.markup import ParsedPage, registrable_domain, split_url

NAME = "cloaking"
LABEL = "Cloaking (search engines see another page)"
TEXT_DIFFERENCE = 0.5
NEW_DOMAINS = 3
SNIPPET_LINES = 15


async def run(ctx: Context) -> list[Finding]:
    if ctx.parsed.doc is None:
        ctx.skipped[NAME] = "no HTML page to compare"
        return []
    crawler = await ctx.crawler_view()
    if not crawler.page.ok:
        ctx.skipped[NAME] = f"the crawler request failed: {crawler.page.error}"
        return []
    moved = _redirected(ctx, crawler)
    if moved:
        return [moved]
    if crawler.doc is None:
        return []
    return _compare(ctx, ctx.parsed, crawler)


def _redirected(ctx: Context, crawler: ParsedPage) -> Finding | None:
    host = split_url(crawler.url)[0]
    if not host or registrable_domain(host) in ctx.site_domains:
        return None
    bad = links.is_bad_host(host, ctx.target.blocklist)
    return ctx.finding(
        NAME,
        "critical" if bad else "high",
        title(gettext_noop("Search engines are sent to %(host)s"), host=host),
        {
            "crawler_url": crawler.url,
            "browser_url": ctx.parsed.url,
            "redirects": crawler.page.redirects,
        },
        key="crawler-redirect",
    )


def _outbound(parsed: ParsedPage) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for link in parsed.links:
        if parsed.is_external(link):
            out.setdefault(link.domain, []).append(link)
    return out


def _compare(ctx: Context, browser: ParsedPage, crawler: ParsedPage) -> list[Finding]:
    seen = set(browser.text_lines)
    only_crawler = [line for line in crawler.text_lines if line not in seen]
    words = terms.gambling_terms("\n".join(only_crawler))
    browser_links, crawler_links = _outbound(browser), _outbound(crawler)
    new_domains = sorted(set(crawler_links) - set(browser_links))
    bad_links = [
        link
        for d in new_domains
        for link in crawler_links[d]
        if links.gambling_score(link) >= 1 or links.is_bad_host(link.host, ctx.target.blocklist)
    ]
    difference = 1 - difflib.SequenceMatcher(None, browser.text_lines, crawler.text_lines).ratio()
    evidence = {
        "text_difference": round(difference, 3),
        "new_domains": new_domains[:20],
        "crawler_snippet": "\n".join(only_crawler[:SNIPPET_LINES]),
        "browser_snippet": "\n".join([browser.title, *browser.text_lines[:SNIPPET_LINES]]),
        "links": [links.describe(link) for link in bad_links[:20]],
        "terms": sorted(words),
    }
    if bad_links or sum(words.values()) >= 2:
        return [
            ctx.finding(
                NAME,
                "critical",
                title(gettext_noop("Search engines get betting content visitors do not see")),
                evidence,
                key="gambling",
            )
        ]
    if difference >= TEXT_DIFFERENCE or len(new_domains) >= NEW_DOMAINS:
        return [
            ctx.finding(
                NAME,
                "medium",
                title(
                    gettext_noop(
                        "Search engines get a different page (%(share)s of the text differs)"
                    ),
                    share=f"{difference:.0%}",
                ),
                evidence,
                key="different",
            )
        ]
    return []
