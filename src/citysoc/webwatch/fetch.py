"""HTTP for the website checks: bounded fetches, per-host politeness, many sites at once.

No Django here. The scheduler's runner, the CLI and the benchmark share these helpers:

- `FetchConfig`: what every fetch follows (body cap, extra trusted CA, RDAP server,
  `resolve` overrides like curl's `--resolve`, and the `outbound` policy: which private
  addresses may be reached; see `citysoc.lib.outbound`).
- `Fetcher`: one `httpx.AsyncClient` plus the rules; `await fetcher.get(url)` → `Page`.
- `check_many(targets, concurrency=50, per_host=2)`: run `check_site` over many targets,
  yielding each `SiteResult` as it completes.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
import re
import ssl
import time
from collections import defaultdict
from collections.abc import Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType

import httpx

from citysoc.lib.outbound import OutboundPolicy, OutboundRefused, async_transport

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 10
BROWSER_UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36"
)
GOOGLEBOT_UA = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
GOOGLE_REFERER = "https://www.google.com/"

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class FetchConfig:
    """Settings every fetch of a run follows (from Django settings, or CLI options)."""

    max_body_bytes: int = MAX_BODY_BYTES
    # Pause between attempts when a site does not answer (seconds).
    retry_delay_s: float = 1.0
    # A PEM bundle trusted in addition to the system's (a city's private CA), for `tls`.
    ca_file: str | None = None
    # RDAP base URL, e.g. "https://rdap.example.vn/rdap/"; None: domain expiry is skipped.
    rdap_url: str | None = None
    # host → IP to connect to instead of DNS ("*" for every host), like curl --resolve.
    resolve: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # Where requests may go: every connection (redirects, crawl, RDAP, TLS) is checked.
    outbound: OutboundPolicy = field(default_factory=OutboundPolicy)


@dataclass
class Page:
    """One fetched URL: where it ended, what it answered, and the (capped) body."""

    url: str  # as requested
    final_url: str = ""
    status: int | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    elapsed_ms: int | None = None
    redirects: list[tuple[int, str]] = field(default_factory=list)
    truncated: bool = False
    error: str = ""  # why there is no answer ("" when there is one)
    refused: bool = False  # the destination is not allowed (see citysoc.lib.outbound)
    attempts: int = 1

    @property
    def ok(self) -> bool:
        return not self.error and self.status is not None

    @property
    def is_html(self) -> bool:
        kind = self.headers.get("content-type", "text/html").lower()
        return self.ok and ("html" in kind or "xml" in kind) and bool(self.body)

    @property
    def encoding(self) -> str:
        """The charset from the header, else from a <meta> in the first 2 KB, else UTF-8."""
        kind = self.headers.get("content-type", "")
        if "charset=" in kind:
            return kind.split("charset=", 1)[1].split(";")[0].strip().strip("\"'") or "utf-8"
        found = _CHARSET.search(self.body[:2048])
        return found.group(1).decode("ascii") if found else "utf-8"


@functools.cache
def unverified_ssl_context() -> ssl.SSLContext:
    # Content checks must see a page whose certificate is broken (that is `tls`'s finding,
    # reported once there); so page fetches do not verify, and `tls` verifies separately.
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def make_client(config: FetchConfig | None = None, *, connections: int = 200) -> httpx.AsyncClient:
    """An AsyncClient for the checks: no certificate verification, `config.resolve` applied,
    every connection checked against `config.outbound`; redirects are followed by `Fetcher`."""
    config = config or FetchConfig()
    limits = httpx.Limits(
        max_connections=connections, max_keepalive_connections=connections, keepalive_expiry=5.0
    )
    transport = async_transport(
        config.outbound, verify=unverified_ssl_context(), limits=limits, overrides=config.resolve
    )
    return httpx.AsyncClient(
        transport=transport,
        follow_redirects=False,
        headers={"User-Agent": BROWSER_UA, "Accept-Language": "vi,en;q=0.8"},
        trust_env=False,
    )


class HostLimiter:
    """At most `per_host` requests at a time to one host name (politeness)."""

    def __init__(self, per_host: int = 2) -> None:
        self._semaphores: dict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(per_host)
        )

    @asynccontextmanager
    async def slot(self, url: str):
        async with self._semaphores[httpx.URL(url).host]:
            yield


class Fetcher:
    """One client, one config, one politeness limiter, shared by every check of a run."""

    def __init__(
        self,
        client: httpx.AsyncClient | None = None,
        config: FetchConfig | None = None,
        *,
        per_host: int = 2,
        limiter: HostLimiter | None = None,
        rdap_cache: dict[str, datetime | str] | None = None,
    ) -> None:
        self.config = config or FetchConfig()
        self._own_client = client is None
        self._client = client
        self._per_host = per_host
        self.limiter = limiter or HostLimiter(per_host)
        # RDAP answers by registrable domain: many monitors share one.
        self.rdap_cache: dict[str, datetime | str] = {} if rdap_cache is None else rdap_cache

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = make_client(self.config, connections=self._per_host * 2)
        return self._client

    async def aclose(self) -> None:
        if self._own_client and self._client is not None:
            await self._client.aclose()

    async def get(
        self,
        url: str,
        *,
        timeout_s: float = 10.0,
        retries: int = 0,
        headers: Mapping[str, str] | None = None,
    ) -> Page:
        """GET `url` following redirects; retried on no answer or a 5xx, never raises."""
        page = Page(url=url)
        for attempt in range(retries + 1):
            if attempt:
                await asyncio.sleep(self.config.retry_delay_s)
            async with self.limiter.slot(url):
                page = await self._get_once(url, timeout_s, headers)
            page.attempts = attempt + 1
            if page.refused or (page.ok and page.status is not None and page.status < 500):
                break
        return page

    async def _get_once(self, url: str, timeout_s: float, headers) -> Page:
        page = Page(url=url)
        started = time.perf_counter()
        try:
            async with asyncio.timeout(timeout_s):
                await self._read(page, headers, timeout_s)
        except TimeoutError:
            page.error = f"no complete answer within {timeout_s:g} s"
        except OutboundRefused as exc:
            # Nothing was sent to it: the reason is all there is to record.
            page.refused, page.status, page.headers, page.body = True, None, {}, b""
            hop = f" (redirected to {page.final_url})" if page.redirects else ""
            page.error = exc.reason + hop
        except httpx.TooManyRedirects:
            page.error = f"more than {MAX_REDIRECTS} redirects"
        except (httpx.HTTPError, OSError, ssl.SSLError) as exc:
            page.error = _describe(exc)
        if page.error:
            page.final_url = ""  # the page was not reached (the hops stay in `redirects`)
        page.elapsed_ms = round((time.perf_counter() - started) * 1000)
        return page

    async def _read(self, page: Page, headers, timeout_s: float) -> None:
        # Redirects are followed here, one hop at a time: each hop opens its connection
        # through the checked transport, and a refused hop is named in the error.
        request = self.client.build_request("GET", page.url, headers=headers, timeout=timeout_s)
        for _hop in range(MAX_REDIRECTS + 1):
            page.final_url = str(request.url)
            response = await self.client.send(request, stream=True)
            try:
                if response.next_request is None:
                    await self._body(page, response)
                    return
                page.redirects.append((response.status_code, response.headers.get("location", "")))
                request = response.next_request
            finally:
                await response.aclose()
        raise httpx.TooManyRedirects("too many redirects", request=request)

    async def _body(self, page: Page, response: httpx.Response) -> None:
        limit = self.config.max_body_bytes
        page.status = response.status_code
        page.final_url = str(response.url)
        page.headers = {k.lower(): v for k, v in response.headers.items()}
        chunks, size = [], 0
        async for chunk in response.aiter_bytes():
            chunks.append(chunk)
            size += len(chunk)
            if size >= limit:
                page.truncated = True
                break
        page.body = b"".join(chunks)[:limit]


def _describe(exc: BaseException) -> str:
    """An operator's sentence for a transport error (httpx's str() is often empty)."""
    kinds = {
        httpx.ConnectTimeout: "connection timed out",
        httpx.ReadTimeout: "the server stopped answering",
        httpx.ConnectError: "could not connect",
        httpx.RemoteProtocolError: "the server closed the connection or answered garbage",
        httpx.UnsupportedProtocol: "not an http:// or https:// URL",
    }
    for kind, text in kinds.items():
        if isinstance(exc, kind):
            detail = str(exc).strip()
            return f"{text} ({detail})" if detail else text
    return f"{type(exc).__name__}: {exc}".strip()


def config_for(outbound: OutboundPolicy | None, config: FetchConfig | None) -> FetchConfig:
    """The run's config with a target's own outbound policy (its unit's ranges), if any."""
    config = config or FetchConfig()
    if outbound is None:
        return config
    return dataclasses.replace(config, outbound=outbound)
