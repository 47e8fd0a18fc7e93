"""What a check gets: the target, its page fetched and parsed once, and shared extra fetches.

`Context.page`/`Context.parsed` are the page as a browser gets it. `crawler_view()`
(cloaking) and `crawled()` (same-site pages for the link checks) fetch on first call and
are shared by every check that asks, so a site costs the same number of requests
whichever checks use them.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urldefrag

from citysoc.webwatch.checks.base import Finding, Target, Title
from citysoc.webwatch.checks.markup import ParsedPage, registrable_domain, split_url
from citysoc.webwatch.fetch import GOOGLE_REFERER, GOOGLEBOT_UA, Fetcher, Page

# Links to these are documents or media, not pages to scan (uploads are judged by name).
_NOT_PAGES = (
    ".pdf",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".ppt",
    ".pptx",
    ".zip",
    ".rar",
    ".7z",
    ".jpg",
    ".jpeg",
    ".png",
    ".gif",
    ".webp",
    ".svg",
    ".mp4",
    ".mp3",
    ".avi",
    ".exe",
    ".apk",
    ".css",
    ".js",
    ".ico",
    ".xml",
)


@dataclass
class Context:
    target: Target
    fetcher: Fetcher
    page: Page
    parsed: ParsedPage
    # Outputs a check may set; check_site copies them into the SiteResult.
    fingerprint: dict[str, Any] | None = None
    tls_expires_at: str | None = None
    domain_expires_at: str | None = None
    skipped: dict[str, str] = field(default_factory=dict)
    _crawler: asyncio.Task[ParsedPage] | None = None
    _crawl: asyncio.Task[list[ParsedPage]] | None = None

    @classmethod
    def build(cls, target: Target, fetcher: Fetcher, page: Page) -> Context:
        hosts = {_host(target.url), _host(page.final_url or target.url)}
        domains = frozenset(registrable_domain(h) for h in hosts if h)
        return cls(target, fetcher, page, ParsedPage.of(page, domains))

    @property
    def site_domains(self) -> frozenset[str]:
        return self.parsed.site_domains

    def finding(
        self,
        check: str,
        severity: str,
        title: Title,
        evidence: dict[str, Any],
        key: str = "",
        page: str = "",
    ) -> Finding:
        page = page or self.target.url
        return Finding(check, severity, str(title), evidence, key=key, page=page, parts=title)

    async def crawler_view(self) -> ParsedPage:
        """The same URL as a search-engine crawler coming from a search gets it."""
        if self._crawler is None:
            self._crawler = asyncio.ensure_future(self._fetch_as_crawler())
        return await self._crawler

    async def _fetch_as_crawler(self) -> ParsedPage:
        # Cloakers key on the user agent (serve spam to Googlebot for ranking) or on the
        # referrer (send visitors arriving from a search to the casino); one request with
        # both trips either kind.
        headers = {"User-Agent": GOOGLEBOT_UA, "Referer": GOOGLE_REFERER}
        page = await self.fetcher.get(
            self.target.url, timeout_s=self.target.timeout_s, headers=headers
        )
        return ParsedPage.of(page, self.site_domains)

    async def crawled(self) -> list[ParsedPage]:
        """Same-site pages linked from the page, breadth first, up to the target's bounds."""
        if self._crawl is None:
            self._crawl = asyncio.ensure_future(self._crawl_site())
        return await self._crawl

    def crawled_urls(self) -> list[str]:
        """The pages the crawl fetched (empty when no check asked for them)."""
        if self._crawl is None or not self._crawl.done() or self._crawl.exception():
            return []
        return [parsed.url for parsed in self._crawl.result()]

    async def _crawl_site(self) -> list[ParsedPage]:
        seen = {urldefrag(self.parsed.url)[0], urldefrag(self.target.url)[0]}
        level, found = [self.parsed], list[ParsedPage]()
        for _depth in range(self.target.crawl_depth):
            urls = []
            for parsed in level:
                urls += [u for u in self._same_site_pages(parsed) if u not in seen]
                seen.update(urls)
            room = self.target.crawl_max_pages - len(found)
            urls = list(dict.fromkeys(urls))[: max(room, 0)]
            if not urls:
                break
            pages = await asyncio.gather(
                *(self.fetcher.get(u, timeout_s=self.target.timeout_s) for u in urls)
            )
            level = [ParsedPage.of(p, self.site_domains) for p in pages if p.is_html]
            found += level
        return found

    def _same_site_pages(self, parsed: ParsedPage) -> list[str]:
        host = _host(parsed.url).removeprefix("www.")
        out = []
        for link in parsed.links:
            if link.tag not in ("a", "area") or link.host.removeprefix("www.") != host:
                continue
            if link.path.lower().endswith(_NOT_PAGES) or not link.url.startswith("http"):
                continue
            out.append(urldefrag(link.url)[0])
        return out


def _host(url: str) -> str:
    return split_url(url)[0]


# The shape every entry module of this registry has; the registry in __init__ is typed with it
# so mypy checks each module conforms (a module matches a Protocol of module-level names).
class SiteCheck(Protocol):
    NAME: str  # registry key, also what a target's skip_checks lists
    LABEL: str  # shown to the officer

    async def run(self, ctx: Context) -> list[Finding]:
        """Look at the fetched site in `ctx` and return what is wrong with it."""
