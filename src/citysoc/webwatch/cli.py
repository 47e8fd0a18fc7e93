"""`citysoc webwatch <sub-verb> …`: website checks from the command line.

citysoc webwatch check URL [--json] [--no-cloaking] [--depth N] [--keyword TEXT]
                           [--blocklist FILE] [--intel-blocklist] [--resolve HOST=IP] …
    Run every check once against URL, save nothing, print the findings.

Exit codes of `check`: 0 no finding above info, 1 findings, 2 could not run (bad URL,
unreadable blocklist).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType

from citysoc.lib.domains import DomainError, normalize_domain
from citysoc.lib.iprange import RangeError
from citysoc.lib.outbound import OutboundPolicy


class UsageError(Exception):
    """A bad option value; the message says which and what to do."""


def webwatch(argv: list[str], setup_django: Callable[[], None]) -> int:
    parser = argparse.ArgumentParser(
        prog="citysoc webwatch", description="Website integrity watch from the command line."
    )
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    _add_check(verbs)
    opts = parser.parse_args(argv)
    try:
        return opts.run(opts, setup_django)
    except UsageError as exc:
        print(f"citysoc webwatch: {exc}", file=sys.stderr)
        return 2


def _add_check(verbs) -> None:
    check = verbs.add_parser(
        "check",
        help="run every check once against a URL (nothing is saved)",
        description="Run every website check once against URL and print the findings. "
        "Nothing is saved; no database is needed (except with --intel-blocklist).",
    )
    check.add_argument("url", help="https://… or http://… page to check")
    check.add_argument("--json", action="store_true", help="print one JSON object")
    cloaking = check.add_mutually_exclusive_group()
    cloaking.add_argument(
        "--crawler-compare",
        dest="cloaking",
        action="store_true",
        default=True,
        help="compare with the Googlebot view (default)",
    )
    cloaking.add_argument(
        "--no-cloaking",
        dest="cloaking",
        action="store_false",
        help="skip the Googlebot comparison (one request less)",
    )
    check.add_argument(
        "--depth",
        type=int,
        default=1,
        metavar="N",
        help="crawl same-site links N levels deep for injected links (default 1)",
    )
    check.add_argument(
        "--max-pages",
        type=int,
        default=10,
        metavar="N",
        help="at most N crawled pages (default 10)",
    )
    check.add_argument("--keyword", default="", help="text the page must contain")
    check.add_argument("--forbidden", default="", help="text the page must not contain")
    check.add_argument(
        "--blocklist", metavar="FILE", help="scam/gambling domains, one per line (# comments)"
    )
    check.add_argument(
        "--intel-blocklist",
        action="store_true",
        help="also use the domains of the latest intel lists (needs the database)",
    )
    check.add_argument(
        "--resolve",
        action="append",
        default=[],
        metavar="HOST=IP",
        help="connect to IP for HOST ('*' for all), like curl --resolve",
    )
    check.add_argument(
        "--allow",
        action="append",
        default=[],
        metavar="CIDR",
        help="a private range the check may reach, besides $OUTBOUND_ALLOW (repeatable)",
    )
    check.add_argument(
        "--allow-internal",
        action="store_true",
        help="reach any address, loopback and this server included (an administrator's test)",
    )
    check.add_argument(
        "--ca-file",
        default=os.environ.get("WEBWATCH_CA_FILE"),
        help="extra trusted CA bundle (PEM) for the TLS check",
    )
    check.add_argument(
        "--rdap-url",
        default=os.environ.get("WEBWATCH_RDAP_URL"),
        help="RDAP base URL for domain expiry (default: $WEBWATCH_RDAP_URL)",
    )
    check.add_argument("--timeout", type=float, default=10.0, help="seconds per request")
    check.add_argument("--retries", type=int, default=1, help="retries before 'down'")
    check.set_defaults(run=_check)


def _check(opts, setup_django: Callable[[], None]) -> int:
    from citysoc.webwatch.checks import BadTargetError, Target, check_url, validate_url
    from citysoc.webwatch.fetch import FetchConfig

    try:
        validate_url(opts.url)
    except BadTargetError as exc:
        raise UsageError(str(exc)) from exc
    if opts.depth < 0 or opts.max_pages < 0:
        raise UsageError("--depth and --max-pages must be 0 or more.")
    blocklist = read_blocklist(Path(opts.blocklist)) if opts.blocklist else set()
    if opts.intel_blocklist:
        setup_django()
        blocklist |= intel_blocklist()
    target = Target(
        url=opts.url,
        must_contain=opts.keyword,
        must_not_contain=opts.forbidden,
        crawl_depth=opts.depth,
        crawl_max_pages=opts.max_pages,
        retries=opts.retries,
        timeout_s=opts.timeout,
        blocklist=frozenset(blocklist),
        skip_checks=frozenset() if opts.cloaking else frozenset({"cloaking"}),
    )
    config = FetchConfig(
        ca_file=opts.ca_file,
        rdap_url=opts.rdap_url,
        resolve=_resolve(opts.resolve),
        outbound=_outbound(opts),
    )
    result = check_url(target, config=config)
    print(as_json(result) if opts.json else describe(result))
    return 1 if any(f.severity != "info" for f in result.findings) else 0


def _outbound(opts) -> OutboundPolicy:
    """The same rule as the server's checks: private space only in OUTBOUND_ALLOW/--allow."""
    ranges = [r.strip() for r in os.environ.get("OUTBOUND_ALLOW", "").split(",") if r.strip()]
    try:
        policy = OutboundPolicy.of(*ranges, *opts.allow)
    except RangeError as exc:
        raise UsageError(f"--allow / OUTBOUND_ALLOW: {exc}") from exc
    return dataclasses.replace(policy, unrestricted=opts.allow_internal)


def _resolve(pairs: list[str]) -> MappingProxyType:
    out = {}
    for pair in pairs:
        host, sep, address = pair.partition("=")
        if not sep or not host or not address:
            raise UsageError(f"--resolve '{pair}': write HOST=IP, e.g. portal.example=192.0.2.10")
        out[host.strip().lower()] = address.strip()
    return MappingProxyType(out)


def read_blocklist(path: Path) -> set[str]:
    """Domains from a file: one per line, '#' comments, URLs and '*.' wildcards accepted."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the blocklist {path}: {exc}") from exc
    domains = set()
    for number, line in enumerate(lines, start=1):
        entry = line.split("#", 1)[0].strip().removeprefix("*.").split("/*")[0]
        if not entry:
            continue
        try:
            domains.add(normalize_domain(entry))
        except DomainError as exc:
            raise UsageError(f"{path} line {number}: {exc}. Fix or remove the line.") from exc
    return domains


def intel_blocklist() -> set[str]:
    """Domain and URL indicators of the newest version of every active intel list."""
    from citysoc.intel.logscan import latest_versions
    from citysoc.intel.models import Indicator

    values = Indicator.objects.filter(
        version__in=latest_versions(), kind__in=("domain", "url")
    ).values_list("value", flat=True)
    domains = set()
    for value in values.iterator(chunk_size=20000):
        try:
            domains.add(normalize_domain(value))
        except DomainError:
            continue  # the list import already reported unusable rows
    return domains


def as_json(result) -> str:
    return json.dumps(
        {
            "url": result.url,
            "up": result.up,
            "status": result.status,
            "response_ms": result.response_ms,
            "error": result.error,
            "findings": [f.as_dict() for f in result.findings],
        },
        ensure_ascii=False,
        indent=1,
    )


def describe(result) -> str:
    state = "up" if result.up else f"DOWN ({result.error})"
    lines = [f"{result.url}: {state}, HTTP {result.status}, {result.response_ms} ms"]
    for f in result.findings:
        lines.append(f"  {f.severity.upper():8} {f.check:15} {f.title}")
        for name in ("link", "technique", "snippet", "diff", "crawler_snippet"):
            if f.evidence.get(name):
                text = str(f.evidence[name]).replace("\n", "\n" + " " * 29)
                lines.append(f"{'':28} {name}: {text[:400]}")
    if not result.findings:
        lines.append("  No findings.")
    for name, why in result.skipped.items():
        lines.append(f"  (not run: {name} — {why})")
    return "\n".join(lines)
