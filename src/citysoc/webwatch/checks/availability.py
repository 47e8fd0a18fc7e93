"""Availability: up or down (after retries), expected status, latency, foreign redirect, keywords.

Findings:
- down (no answer or HTTP 5xx after `retries` more attempts) — high;
- a status other than `expected_status` — medium;
- slower than `max_response_ms` — low;
- a redirect that leaves the site's registrable domain — high (critical when the new
  host is a betting name or on the blocklist);
- `must_contain` missing — medium; `must_not_contain` present — high.
"""

from __future__ import annotations

from urllib.parse import urljoin

from citysoc.webwatch.checks import links
from citysoc.webwatch.checks.base import Finding, gettext_noop, title
from citysoc.webwatch.checks.context import Context
from citysoc.webwatch.checks.markup import registrable_domain, split_url

NAME = "availability"
LABEL = "Availability"


async def run(ctx: Context) -> list[Finding]:
    page, target = ctx.page, ctx.target
    if not page.ok or (page.status or 0) >= 500:
        reason = page.error or f"HTTP {page.status}"
        return [
            ctx.finding(
                NAME,
                "high",
                title(
                    gettext_noop("Site down: %(reason)s (%(attempts)s attempts)"),
                    reason=reason,
                    attempts=page.attempts,
                ),
                {
                    "error": page.error,
                    "status": page.status,
                    "attempts": page.attempts,
                    "url": target.url,
                },
                key="down",
            )
        ]
    found = _redirects(ctx)
    if page.status != target.expected_status:
        found.append(
            ctx.finding(
                NAME,
                "medium",
                title(
                    gettext_noop("Answered HTTP %(status)s, expected %(expected)s"),
                    status=page.status or 0,
                    expected=target.expected_status,
                ),
                {
                    "status": page.status,
                    "expected": target.expected_status,
                    "final_url": page.final_url,
                },
                key="status",
            )
        )
    if page.elapsed_ms is not None and page.elapsed_ms > target.max_response_ms:
        found.append(
            ctx.finding(
                NAME,
                "low",
                title(
                    gettext_noop("Slow: %(ms)s ms (limit %(limit)s ms)"),
                    ms=page.elapsed_ms,
                    limit=target.max_response_ms,
                ),
                {"response_ms": page.elapsed_ms, "limit_ms": target.max_response_ms},
                key="slow",
            )
        )
    return found + _keywords(ctx)


def _redirects(ctx: Context) -> list[Finding]:
    url, chain = ctx.target.url, []
    for status, location in ctx.page.redirects:
        url = urljoin(url, location)
        chain.append(f"{status} → {url}")
        host = split_url(url)[0]
        if host and registrable_domain(host) != _origin(ctx):
            bad = links.is_bad_host(host, ctx.target.blocklist)
            return [
                ctx.finding(
                    NAME,
                    "critical" if bad else "high",
                    title(gettext_noop("Redirects to another domain: %(host)s"), host=host),
                    {"chain": chain, "to": url, "final_url": ctx.page.final_url},
                    key=f"redirect:{registrable_domain(host)}",
                )
            ]
    return []


def _origin(ctx: Context) -> str:
    return registrable_domain(split_url(ctx.target.url)[0])


def _keywords(ctx: Context) -> list[Finding]:
    target, found = ctx.target, []
    haystack = _text(ctx).lower()
    if target.must_contain and target.must_contain.lower() not in haystack:
        found.append(
            ctx.finding(
                NAME,
                "medium",
                title(gettext_noop("Expected text missing: “%(text)s”"), text=target.must_contain),
                {"keyword": target.must_contain, "title": ctx.parsed.title},
                key="keyword-missing",
            )
        )
    if target.must_not_contain and target.must_not_contain.lower() in haystack:
        at = haystack.find(target.must_not_contain.lower())
        found.append(
            ctx.finding(
                NAME,
                "high",
                title(
                    gettext_noop("Forbidden text present: “%(text)s”"),
                    text=target.must_not_contain,
                ),
                {
                    "keyword": target.must_not_contain,
                    "snippet": _text(ctx)[max(at - 80, 0) : at + 120],
                },
                key="keyword-present",
            )
        )
    return found


def _text(ctx: Context) -> str:
    if ctx.parsed.doc is not None:
        return f"{ctx.parsed.title}\n{ctx.parsed.text}"
    return ctx.page.body.decode(ctx.page.encoding, errors="replace")
