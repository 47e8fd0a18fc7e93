"""The website checks: one module each, listed in CHECKS; `check_site()` runs them all.

    result = await check_site(Target(url="https://portal.example.gov.vn/"))
    result = check_url(Target(url=...))            # the same, from synchronous code

The page is fetched once (with `retries` before it counts as down) and parsed once;
checks that need more (the crawler's view for cloaking, same-site pages for the link
checks, a TLS handshake, an RDAP lookup) ask the shared `Context`. Checks run
concurrently; one failing check is noted in `SiteResult.skipped` and the others still
report. No Django here (tests/webwatch/checks/test_registry.py holds that).
"""

from __future__ import annotations

import asyncio
import logging

import httpx

from citysoc.webwatch.checks import (
    availability,
    cloaking,
    defacement,
    domain_expiry,
    injected_links,
    scam_links,
    tls,
)
from citysoc.webwatch.checks.base import SEVERITIES, Finding, SiteResult, Target
from citysoc.webwatch.checks.context import Context, SiteCheck
from citysoc.webwatch.fetch import FetchConfig, Fetcher, config_for

logger = logging.getLogger(__name__)

# Typed with the Protocol so mypy checks every module has NAME, LABEL and run() as declared.
_ENTRIES: tuple[SiteCheck, ...] = (
    availability,
    tls,
    domain_expiry,
    defacement,
    injected_links,
    scam_links,
    cloaking,
)
CHECKS: dict[str, SiteCheck] = {m.NAME: m for m in _ENTRIES}
# Checks that read the page's content: pointless when the site is down.
_NEED_PAGE = {"defacement", "injected_links", "scam_links", "cloaking"}

__all__ = ["CHECKS", "SEVERITIES", "Finding", "SiteResult", "Target", "check_site", "check_url"]


class BadTargetError(ValueError):
    """The target cannot be checked at all (not an http(s) URL)."""


def validate_url(url: str) -> str:
    """The URL if checkable; else raises BadTargetError with a sentence for the operator."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise BadTargetError(f"'{url}' is not a URL ({exc})") from exc
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise BadTargetError(
            f"'{url}' is not an http:// or https:// URL with a host name, e.g. "
            "https://portal.example.gov.vn/"
        )
    return url


async def check_site(
    target: Target,
    client: httpx.AsyncClient | None = None,
    *,
    config: FetchConfig | None = None,
    fetcher: Fetcher | None = None,
) -> SiteResult:
    """Run every check (minus `target.skip_checks`) once against `target.url`; never raises
    for the site's faults (a bad URL gives `up=False` with `error`)."""
    try:
        validate_url(target.url)
    except BadTargetError as exc:
        return SiteResult(url=target.url, up=False, status=None, response_ms=None, error=str(exc))
    own = fetcher is None
    fetcher = fetcher or Fetcher(client, config_for(target.outbound, config))
    try:
        return await _check(target, fetcher)
    finally:
        if own:
            await fetcher.aclose()


async def _check(target: Target, fetcher: Fetcher) -> SiteResult:
    page = await fetcher.get(target.url, timeout_s=target.timeout_s, retries=target.retries)
    ctx = Context.build(target, fetcher, page)
    up = page.ok and page.status is not None and page.status < 500
    names = [n for n in CHECKS if n not in target.skip_checks]
    if not up:
        ctx.skipped.update({n: "the site is down" for n in names if n in _NEED_PAGE})
        names = [n for n in names if n not in _NEED_PAGE]
    batches = await asyncio.gather(*(_run_one(name, ctx) for name in names))
    findings = sorted(
        (f for batch in batches for f in batch), key=lambda f: SEVERITIES.index(f.severity)
    )
    return SiteResult(
        url=target.url,
        up=up,
        status=page.status,
        response_ms=page.elapsed_ms,
        error=page.error or ("" if up else f"HTTP {page.status}"),
        findings=findings,
        fingerprint=ctx.fingerprint,
        tls_expires_at=ctx.tls_expires_at,
        domain_expires_at=ctx.domain_expires_at,
        redirects=page.redirects,
        final_url=page.final_url,
        skipped=ctx.skipped,
        crawled=ctx.crawled_urls(),
    )


async def _run_one(name: str, ctx: Context) -> list[Finding]:
    try:
        return await CHECKS[name].run(ctx)
    except Exception as exc:  # one broken check must not hide the others' findings
        logger.exception("webwatch check %s failed on %s", name, ctx.target.url)
        ctx.skipped[name] = f"the check failed: {type(exc).__name__}: {exc}"
        return []


def check_url(target: Target, *, config: FetchConfig | None = None) -> SiteResult:
    """`check_site` for synchronous callers (CLI, a task): runs its own event loop."""
    return asyncio.run(check_site(target, config=config))
