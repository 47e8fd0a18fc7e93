"""`citysoc vulns load-kev FILE | load-epss FILE | pull-feeds | recompute [--json]`.

For isolated networks: the KEV catalogue (JSON or CSV, from cisa.gov) and the EPSS scores
(CSV or .csv.gz, from FIRST/empiricalsecurity.com) carried in on a USB stick and loaded.
Exit codes: 0 loaded, 1 loaded with rejected rows, 2 nothing loaded (file missing or not
this feed's format; the current copy is kept).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path


def vulns(argv: list[str], setup_django: Callable[[], None]) -> int:
    parser = argparse.ArgumentParser(
        prog="citysoc vulns", description="Known-exploited and EPSS data for finding priority."
    )
    sub = parser.add_subparsers(dest="action", required=True)
    for name, text in (
        ("load-kev", "load the CISA KEV catalogue from a JSON or CSV file"),
        ("load-epss", "load EPSS scores from a CSV or .csv.gz file"),
    ):
        one = sub.add_parser(name, help=text)
        one.add_argument("file")
        one.add_argument("--json", action="store_true", help="print a one-line JSON summary")
    pull = sub.add_parser("pull-feeds", help="pull the KEV and EPSS feeds now (their URLs)")
    pull.add_argument("--json", action="store_true")
    again = sub.add_parser("recompute", help="recompute KEV, EPSS and due dates of open findings")
    again.add_argument("--json", action="store_true")
    opts = parser.parse_args(argv)
    if opts.action in ("load-kev", "load-epss"):
        return _load(opts, setup_django)
    setup_django()
    from citysoc.vulns import feeds, priority

    if opts.action == "recompute":
        checked = priority.refresh_all()
        print(
            json.dumps({"findings_checked": checked})
            if opts.json
            else f"{checked} findings checked"
        )
        return 0
    report = feeds.pull_due()
    print(json.dumps(report, ensure_ascii=False) if opts.json else _pull_text(report))
    return 1 if report["failed"] else 0


def _load(opts, setup_django: Callable[[], None]) -> int:
    path = Path(opts.file)
    if not path.is_file():
        print(f"citysoc: file not found: {path}. Check the path.", file=sys.stderr)
        return 2
    setup_django()
    from citysoc.vulns import epss, feeds, kev

    kind = "kev" if opts.action == "load-kev" else "epss"
    loader = kev.load if kind == "kev" else epss.load
    try:
        loaded = loader(path.read_bytes())
    except kev.FeedError as exc:
        print(f"citysoc: {path.name}: {exc}", file=sys.stderr)
        return 2
    feeds.record_file_load(kind, loaded)
    if opts.json:
        print(json.dumps(loaded.as_json(), ensure_ascii=False))
    else:
        print(
            f"{kind}: {loaded.kept} CVEs loaded (version {loaded.version or '-'}), "
            f"{len(loaded.rejected)} rejected, {loaded.findings_checked} open findings rechecked"
        )
        for line in loaded.rejected[:20]:
            print(f"  rejected {line}")
    return 1 if loaded.rejected else 0


def _pull_text(report: dict) -> str:
    if not report["pulled"]:
        return "no feed due (or no feed URL set); nothing pulled"
    lines = [f"pulled: {', '.join(report['pulled'])}"]
    lines += [f"  {k}: {v['kept']} CVEs loaded" for k, v in report["loaded"].items()]
    lines += [f"  {k} FAILED: {v}" for k, v in report["failed"].items()]
    return "\n".join(lines)
