"""Checking many sites at once: bounded concurrency, a per-host limit, one RDAP cache.

Apart from `fetch` (how one request is made) and `checks` (what is checked on one site),
which it joins, so that neither imports the other's caller.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable

import httpx

from citysoc.webwatch.checks import check_site
from citysoc.webwatch.checks.base import SiteResult, Target
from citysoc.webwatch.fetch import FetchConfig, Fetcher, HostLimiter, config_for


async def check_many(
    targets: Iterable[Target],
    *,
    concurrency: int = 50,
    per_host: int = 2,
    config: FetchConfig | None = None,
    client: httpx.AsyncClient | None = None,
) -> AsyncIterator[SiteResult]:
    """Check every target once, `concurrency` sites at a time; yield results as they finish.

    Each request also waits for a per-host slot (`per_host` at a time to one host name),
    so crawling a site never opens more than that many connections to it.
    """
    limiter = HostLimiter(per_host)
    rdap_cache: dict = {}
    pending = iter(targets)
    results: asyncio.Queue = asyncio.Queue()

    async def check(target: Target) -> SiteResult:
        # A client per site unless one is given: httpcore's pool scans every connection
        # on each request, so one pool for thousands of hosts costs O(connections²).
        fetcher = Fetcher(
            client,
            config_for(target.outbound, config),
            per_host=per_host,
            limiter=limiter,
            rdap_cache=rdap_cache,
        )
        try:
            return await check_site(target, fetcher=fetcher)
        finally:
            await fetcher.aclose()

    async def worker() -> None:
        for target in pending:  # the iterator is shared: each target is taken once
            await results.put(await check(target))
        await results.put(None)

    workers = [asyncio.create_task(worker()) for _ in range(concurrency)]
    try:
        running = len(workers)
        while running:
            item = await results.get()
            if item is None:
                running -= 1
            else:
                yield item
    finally:
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
