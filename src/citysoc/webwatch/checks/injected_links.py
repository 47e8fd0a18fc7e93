"""Injected links: gambling/betting SEO spam planted in a page (the .gov.vn Tết pattern).

Techniques, each reported with the element snippet and the links (severity in brackets):
- hidden element (display:none, visibility:hidden, font-size:0, zero size, off-screen
  position, text-indent, opacity:0, text colour = background, `hidden`, aria-hidden,
  <noscript>, tiny <marquee>, page CSS class/id rules) holding links to foreign domains
  with any gambling word, or to a bad host, or gambling text [critical];
- visible links to foreign domains with gambling score >= 2 [high] (a visible link to a
  blocklisted domain is scam_links' finding, not repeated here);
- one block with >= 8 outbound links to >= 5 unrelated domains and >= 3 gambling words
  [high], or >= 15 links to >= 10 unrelated non-.gov.vn domains and no own link [medium];
- <meta http-equiv=refresh> to a foreign domain [high; critical to a bad host];
- inline <script> setting location / document.write with a foreign link (also inside
  atob("…")) [high for a location change; critical when the target is a bad host];
- links to uploaded HTML/PDF files whose names are betting spam [critical when the file is
  on the watched site, high elsewhere].
Runs on the page and on the crawled same-site pages.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections import defaultdict
from dataclasses import replace
from typing import Any

from citysoc.webwatch.checks import links, terms
from citysoc.webwatch.checks.base import Finding, Title, gettext_noop, title
from citysoc.webwatch.checks.context import Context
from citysoc.webwatch.checks.markup import Link, ParsedPage, block_of, snippet

NAME = "injected_links"
LABEL = "Injected gambling/spam links"
MAX_LISTED = 20
BURST_LINKS, BURST_DOMAINS, BURST_WORDS = 8, 5, 3
WIDE_BURST_LINKS, WIDE_BURST_DOMAINS = 15, 10

_LOCATION = re.compile(
    r"""(?:location(?:\.href)?\s*=|location\.(?:replace|assign)\s*\()\s*["'`]([^"'`]+)""",
    re.IGNORECASE,
)
_WRITE = re.compile(r"document\.write(?:ln)?\s*\((.{0,2000}?)\)\s*;?", re.IGNORECASE | re.DOTALL)
_URL = re.compile(r"""https?://[^\s"'`<>)\\]+""", re.IGNORECASE)
_ATOB = re.compile(r"""atob\(\s*["']([A-Za-z0-9+/=]{8,})["']\s*\)""")
_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\";]+)", re.IGNORECASE)


async def run(ctx: Context) -> list[Finding]:
    found = []
    for parsed in [ctx.parsed, *await ctx.crawled()]:
        found += scan(ctx, parsed)
    return found


def scan(ctx: Context, parsed: ParsedPage) -> list[Finding]:
    """Every injected-link finding on one parsed page."""
    if parsed.doc is None:
        return []
    reported: set[int] = set()
    found = _hidden(ctx, parsed, reported)
    found += _visible_gambling(ctx, parsed, reported)
    found += _bursts(ctx, parsed, reported)
    found += _meta_refresh(ctx, parsed)
    found += _scripts(ctx, parsed)
    found += _uploads(ctx, parsed)
    return found


def _where(ctx: Context, parsed: ParsedPage) -> str:
    """The crawled page a finding is on, or "" when it is the watched URL itself."""
    return "" if parsed.url == ctx.target.url else parsed.url


def _finding(
    ctx: Context,
    parsed: ParsedPage,
    severity: str,
    title: Title,
    evidence: dict[str, Any],
    key: str,
) -> Finding:
    evidence = {"page": parsed.url, **evidence}
    return ctx.finding(
        NAME,
        severity,
        replace(title, on=_where(ctx, parsed)),
        evidence,
        key=f"{key}:{parsed.url}",
        page=parsed.url,
    )


def _bad(ctx: Context, parsed: ParsedPage, link: Link, min_score: int) -> bool:
    return parsed.is_external(link) and (
        links.gambling_score(link) >= min_score
        or links.is_bad_host(link.host, ctx.target.blocklist)
    )


def _hidden(ctx: Context, parsed: ParsedPage, reported: set[int]) -> list[Finding]:
    found = []
    for block in parsed.hidden_blocks:
        bad = [link for link in block.links if _bad(ctx, parsed, link, 1)]
        words = terms.gambling_terms(block.text)
        if not bad and sum(words.values()) < 2:
            continue
        reported.update(id(link) for link in block.links)
        domains = sorted({link.domain for link in bad})
        what = (
            title(
                gettext_noop(
                    "Hidden gambling content (%(technique)s): %(n)s link(s) to %(domains)s"
                ),
                technique=block.technique,
                n=len(bad),
                domains=", ".join(domains[:3]),
            )
            if bad
            else title(
                gettext_noop("Hidden gambling content (%(technique)s): gambling text"),
                technique=block.technique,
            )
        )
        found.append(
            _finding(
                ctx,
                parsed,
                "critical",
                what,
                {
                    "technique": block.technique,
                    "snippet": snippet(block.element),
                    "links": [links.describe(link) for link in bad[:MAX_LISTED]],
                    "terms": sorted(words),
                },
                key=f"hidden:{block.technique}",
            )
        )
    return found


def _visible_gambling(ctx: Context, parsed: ParsedPage, reported: set[int]) -> list[Finding]:
    bad = [
        link
        for link in parsed.links
        if id(link) not in reported
        and link.tag in ("a", "area")
        and not links.is_upload_spam(link)
        and parsed.is_external(link)
        and links.gambling_score(link) >= 2
    ]
    if not bad:
        return []
    reported.update(id(link) for link in bad)
    domains = sorted({link.domain for link in bad})
    return [
        _finding(
            ctx,
            parsed,
            "high",
            title(
                gettext_noop("Links to betting sites: %(n)s link(s) to %(domains)s"),
                n=len(bad),
                domains=", ".join(domains[:3]),
            ),
            {
                "technique": "visible gambling links",
                "snippet": bad[0].snippet(),
                "links": [links.describe(link) for link in bad[:MAX_LISTED]],
            },
            key="gambling-links",
        )
    ]


def _bursts(ctx: Context, parsed: ParsedPage, reported: set[int]) -> list[Finding]:
    groups: dict[int, list[Link]] = defaultdict(list)
    owners: dict[int, object] = {}
    for link in parsed.links:
        if link.tag == "a" and id(link) not in reported:
            block = block_of(link.element)
            if block is not None:
                groups[id(block)].append(link)
                owners[id(block)] = block
    found = []
    for block_id, members in groups.items():
        verdict = _burst_verdict(parsed, members)
        if verdict:
            severity, outbound = verdict
            domains = sorted({link.domain for link in outbound})
            found.append(
                _finding(
                    ctx,
                    parsed,
                    severity,
                    title(
                        gettext_noop(
                            "Burst of %(n)s outbound links to %(domains)s unrelated domains"
                        ),
                        n=len(outbound),
                        domains=len(domains),
                    ),
                    {
                        "technique": "outbound link burst",
                        "snippet": snippet(owners[block_id]),
                        "domains": domains[:MAX_LISTED],
                        "links": [links.describe(link) for link in outbound[:MAX_LISTED]],
                    },
                    key="burst",
                )
            )
    return found


def _burst_verdict(parsed: ParsedPage, members: list[Link]) -> tuple[str, list[Link]] | None:
    outbound = [link for link in members if parsed.is_external(link)]
    domains = {link.domain for link in outbound}
    if len(outbound) < BURST_LINKS or len(domains) < BURST_DOMAINS:
        return None
    words = sum(1 for link in outbound if links.gambling_score(link) >= 1)
    if words >= BURST_WORDS:
        return "high", outbound
    unrelated = {d for d in domains if not d.endswith("gov.vn")}
    own = len(members) > len(outbound)
    if len(outbound) >= WIDE_BURST_LINKS and len(unrelated) >= WIDE_BURST_DOMAINS and not own:
        return "medium", outbound
    return None


def _meta_refresh(ctx: Context, parsed: ParsedPage) -> list[Finding]:
    found = []
    for meta in parsed.doc.xpath("//meta[@http-equiv and @content]"):
        if meta.get("http-equiv", "").strip().lower() != "refresh":
            continue
        target = _REFRESH_URL.search(meta.get("content", ""))
        link = parsed.link(target.group(1).strip(), meta, "meta") if target else None
        if link is None or not parsed.is_external(link):
            continue
        bad = links.is_bad_host(link.host, ctx.target.blocklist) or links.gambling_score(link) >= 2
        found.append(
            _finding(
                ctx,
                parsed,
                "critical" if bad else "high",
                title(gettext_noop("Meta refresh sends visitors to %(host)s"), host=link.host),
                {"technique": "meta refresh", "snippet": snippet(meta), "link": link.url},
                key="meta-refresh",
            )
        )
    return found


def _script_texts(parsed: ParsedPage) -> list[tuple[object, str]]:
    out = []
    for script in parsed.doc.xpath("//script[not(@src)]"):
        code = script.text or ""
        decoded = []
        for blob in _ATOB.findall(code):
            try:
                decoded.append(base64.b64decode(blob).decode("utf-8", "replace"))
            except (binascii.Error, ValueError):
                continue
        out.append((script, "\n".join([code, *decoded])))
    return out


def _scripts(ctx: Context, parsed: ParsedPage) -> list[Finding]:
    found = []
    for script, code in _script_texts(parsed):
        if "location" not in code and "write" not in code:
            continue
        for url in _LOCATION.findall(code):
            link = parsed.link(url, script, "script")
            if link and parsed.is_external(link):
                bad = _bad(ctx, parsed, link, 2)
                found.append(
                    _finding(
                        ctx,
                        parsed,
                        "critical" if bad else "high",
                        title(gettext_noop("Script sends visitors to %(host)s"), host=link.host),
                        {
                            "technique": "script redirect",
                            "snippet": snippet(script),
                            "link": link.url,
                        },
                        key="script-redirect",
                    )
                )
        for args in _WRITE.findall(code):
            written = [
                u
                for u in _URL.findall(args)
                if (lk := parsed.link(u, script, "script")) and _bad(ctx, parsed, lk, 1)
            ]
            if written:
                found.append(
                    _finding(
                        ctx,
                        parsed,
                        "critical",
                        title(
                            gettext_noop("Script writes betting links: %(link)s"), link=written[0]
                        ),
                        {
                            "technique": "document.write",
                            "snippet": snippet(script),
                            "links": written[:MAX_LISTED],
                        },
                        key="script-write",
                    )
                )
    return found


def _uploads(ctx: Context, parsed: ParsedPage) -> list[Finding]:
    spam = [
        link for link in parsed.links if link.tag in ("a", "area") and links.is_upload_spam(link)
    ]
    if not spam:
        return []
    own = [link for link in spam if not parsed.is_external(link)]
    return [
        _finding(
            ctx,
            parsed,
            "critical" if own else "high",
            title(
                gettext_noop("Links to uploaded spam files: %(file)s and %(more)s more")
                if len(spam) > 1
                else gettext_noop("Links to uploaded spam files: %(file)s"),
                file=spam[0].path.rsplit("/", 1)[-1],
                more=len(spam) - 1,
            ),
            {
                "technique": "uploaded spam file",
                "snippet": spam[0].snippet(),
                "links": [links.describe(link) for link in spam[:MAX_LISTED]],
                "on_this_site": bool(own),
            },
            key="upload-spam",
        )
    ]
