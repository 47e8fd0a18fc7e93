"""Domain registration expiry, where obtainable: RDAP (`FetchConfig.rdap_url`).

GET <rdap_url>/domain/<registrable domain>, read the "expiration" event. No RDAP server
configured: skipped (noted in `skipped`). Server unreachable or the domain unknown to it:
an info finding. Expired — critical; within 7 days — high; within `domain_warn_days` —
medium. Sets `domain_expires_at`. Answers are cached per domain for the run.
"""

from __future__ import annotations

import ipaddress
import json
from datetime import UTC, datetime

from citysoc.webwatch.checks.base import Finding, gettext_noop, title
from citysoc.webwatch.checks.context import Context
from citysoc.webwatch.checks.markup import registrable_domain, split_url
from citysoc.webwatch.fetch import Page

NAME = "domain_expiry"
LABEL = "Domain registration expiry"
URGENT_DAYS = 7


async def run(ctx: Context) -> list[Finding]:
    base = ctx.fetcher.config.rdap_url
    host = split_url(ctx.target.url)[0]
    if not base:
        ctx.skipped[NAME] = "no RDAP server configured"
        return []
    if not host or _is_ip(host):
        ctx.skipped[NAME] = "the URL has no domain name"
        return []
    domain = registrable_domain(host)
    answer = await _lookup(ctx, base, domain)
    if isinstance(answer, str):
        return [
            ctx.finding(
                NAME,
                "info",
                title(
                    gettext_noop("Domain expiry of %(domain)s unknown: %(reason)s"),
                    domain=domain,
                    reason=answer,
                ),
                {"domain": domain, "rdap": base},
                key="unknown",
            )
        ]
    return _judge(ctx, domain, answer)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


async def _lookup(ctx: Context, base: str, domain: str) -> datetime | str:
    """The expiry date, or a sentence saying why there is none."""
    cache = ctx.fetcher.rdap_cache
    if domain not in cache:
        url = f"{base.rstrip('/')}/domain/{domain}"
        page = await ctx.fetcher.get(
            url, timeout_s=ctx.target.timeout_s, headers={"Accept": "application/rdap+json"}
        )
        cache[domain] = _expiry_of(page)
    return cache[domain]


def _expiry_of(page: Page) -> datetime | str:
    if not page.ok:
        return f"RDAP server unreachable ({page.error})"
    if page.status == 404:
        return "not found in RDAP"
    if page.status != 200:
        return f"RDAP answered HTTP {page.status}"
    try:
        events = json.loads(page.body).get("events", [])
        dates = [e["eventDate"] for e in events if e.get("eventAction") == "expiration"]
        return datetime.fromisoformat(dates[0]).astimezone(UTC) if dates else "no expiration event"
    except (ValueError, AttributeError, KeyError, TypeError):
        return "RDAP answer is not valid JSON"


def _judge(ctx: Context, domain: str, ends: datetime) -> list[Finding]:
    ctx.domain_expires_at = ends.isoformat()
    days = (ends - datetime.now(tz=UTC)).days
    evidence = {"domain": domain, "expires": ends.strftime("%d/%m/%Y"), "days_left": days}
    if days < 0:
        return [
            ctx.finding(
                NAME,
                "critical",
                title(
                    gettext_noop("Domain %(domain)s expired on %(day)s"),
                    domain=domain,
                    day=f"{ends:%d/%m/%Y}",
                ),
                evidence,
                key="expired",
            )
        ]
    if days <= ctx.target.domain_warn_days:
        return [
            ctx.finding(
                NAME,
                "high" if days <= URGENT_DAYS else "medium",
                title(
                    gettext_noop("Domain %(domain)s expires in %(days)s days (%(day)s)"),
                    domain=domain,
                    days=days,
                    day=f"{ends:%d/%m/%Y}",
                ),
                evidence,
                key="expiring",
            )
        ]
    return []
