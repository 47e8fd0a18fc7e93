"""Benchmark the website checks: many sites on one local server, every check on.

    .venv/bin/python bench/webwatch.py                    # 2,000 sites, 100 at a time
    .venv/bin/python bench/webwatch.py --sites 500 --profile

A child process serves --sites virtual hosts on 127.0.0.1 (by Host header): each home
page is the clean ward-portal fixture made unique per site, every other path a short
article page, plus an RDAP endpoint. This process runs `batch.check_many` over all of
them with every check (availability, TLS skipped on http, RDAP, defacement against a
baseline, injected links and scam links on the page and the crawled pages, cloaking),
`--concurrency` sites at a time and at most `--per-host` requests per host. Prints sites
checked per minute, requests, findings and peak RSS of both processes. Figures are
printed, never asserted (STYLE.md §9.8).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "src")]

from citysoc.lib.outbound import OutboundPolicy  # noqa: E402
from citysoc.webwatch.batch import check_many  # noqa: E402
from citysoc.webwatch.checks import Target  # noqa: E402
from citysoc.webwatch.fetch import FetchConfig  # noqa: E402

HOME = (REPO / "tests" / "fixtures" / "webwatch" / "clean" / "home.html").read_text()
ARTICLE = (REPO / "tests" / "fixtures" / "webwatch" / "clean" / "news_article.html").read_text()
BLOCKLIST = frozenset({"dichvucong-gov.example", "vietcombank-xacthuc.example"})


def serve() -> None:
    """Child process: serve every bench site until stdin closes."""
    from tests.webwatch.support.server import Reply, WebServer

    server = WebServer()
    hits = [0]

    def home(request):
        hits[0] += 1
        body = HOME.replace("Phường Bắc Sơn", f"Phường {request.host.split('.')[0]}")
        return Reply(200, body.encode(), {"Content-Type": "text/html; charset=utf-8"})

    def article(request):
        hits[0] += 1
        return Reply(200, ARTICLE.encode(), {"Content-Type": "text/html; charset=utf-8"})

    def rdap(request):
        hits[0] += 1
        body = b'{"events": [{"eventAction": "expiration", "eventDate": "2030-01-01T00:00:00Z"}]}'
        return Reply(200, body, {"Content-Type": "application/rdap+json"})

    server.sites["*"] = {"/": home, "*": article}
    server.route("rdap.bench.example", "*", rdap)
    server.start()
    print(server.port, flush=True)
    sys.stdin.read()
    print(hits[0], flush=True)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(rss, flush=True)
    server.stop()


async def run(args, port: int) -> tuple[int, int, int]:
    config = FetchConfig(
        resolve={"*": "127.0.0.1"},
        rdap_url=f"http://rdap.bench.example:{port}/rdap/",
        # The benchmark's sites are on this machine, which a unit's check may never reach.
        outbound=OutboundPolicy(unrestricted=True),
    )
    baseline = None
    targets = []
    for i in range(args.sites):
        targets.append(
            Target(
                url=f"http://site-{i}.bench.example:{port}/",
                crawl_depth=args.depth,
                crawl_max_pages=args.max_pages,
                blocklist=BLOCKLIST,
                baseline=baseline,
            )
        )
    # One accepted baseline (site 0's page) for all: every site runs the full comparison.
    async for result in check_many(targets[:1], config=config):
        baseline = result.fingerprint
    for target in targets:
        target.baseline = baseline
    sites = findings = pages = 0
    async for result in check_many(
        targets, concurrency=args.concurrency, per_host=args.per_host, config=config
    ):
        sites += 1
        pages += 1 + len(result.crawled)
        findings += sum(1 for f in result.findings if f.severity != "info")
    return sites, findings, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sites", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--per-host", type=int, default=2)
    parser.add_argument("--depth", type=int, default=1)
    parser.add_argument("--max-pages", type=int, default=10)
    parser.add_argument("--profile", action="store_true", help="print the top 25 functions")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve()
        return
    child = subprocess.Popen(  # noqa: S603 - this same script
        [sys.executable, __file__, "--serve"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    port = int(child.stdout.readline())
    profiler = cProfile.Profile() if args.profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    sites, findings, pages = asyncio.run(run(args, port))
    if profiler:
        profiler.disable()
    elapsed = time.perf_counter() - started
    child.stdin.close()
    requests, server_rss = int(child.stdout.readline()), int(child.stdout.readline())
    child.wait()
    client_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"sites checked:      {sites} (+1 for the baseline) in {elapsed:.1f} s")
    print(f"sites per minute:   {sites / elapsed * 60:,.0f}")
    print(f"pages scanned:      {pages} ({pages / sites:.1f} per site)")
    print(f"requests served:    {requests} ({requests / elapsed:,.0f}/s)")
    print(f"findings (> info):  {findings}")
    print(
        f"peak RSS:           checker {client_rss / 1024:.0f} MB, server {server_rss / 1024:.0f} MB"
    )
    print(
        f"settings:           concurrency {args.concurrency}, per host {args.per_host}, "
        f"depth {args.depth}, max pages {args.max_pages}"
    )
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
