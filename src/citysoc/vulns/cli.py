"""`citysoc import-scan FILE [--tool T] (--unit CODE | --dry-run) [--json]`.

Exit codes: 0 imported (every record kept), 1 imported with rejected records,
2 nothing imported (file missing or unreadable, unknown tool or unit).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path


def import_scan(argv: list[str], setup_django: Callable[[], None]) -> int:
    parser = argparse.ArgumentParser(
        prog="citysoc import-scan",
        description="Import a vulnerability scanner report into a unit's findings.",
    )
    from citysoc.vulns.parsers import PARSERS

    parser.add_argument(
        "file",
        help="the report: " + "; ".join(m.LABEL for m in PARSERS.values()),
    )
    parser.add_argument(
        "--tool",
        default="",
        choices=["", *sorted(PARSERS)],
        metavar="TOOL",
        help=f"parser: {', '.join(sorted(PARSERS))} (default: detect from the content)",
    )
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--unit", help="code of the unit the scanned hosts belong to")
    where.add_argument("--dry-run", action="store_true", help="parse and count, save nothing")
    parser.add_argument("--json", action="store_true", help="print a one-line JSON summary")
    opts = parser.parse_args(argv)
    path = Path(opts.file)
    if not path.is_file():
        print(f"citysoc: file not found: {path}. Check the path.", file=sys.stderr)
        return 2
    from citysoc.vulns.parsers.base import MAX_BYTES

    if path.stat().st_size > MAX_BYTES:
        print(
            f"citysoc: {path.name} is larger than {MAX_BYTES // (1024 * 1024)} MB; "
            "split the scan or export fewer hosts per report.",
            file=sys.stderr,
        )
        return 2
    setup_django()
    from citysoc.core import audit
    from citysoc.core.models import Unit
    from citysoc.vulns import importing
    from citysoc.vulns.parsers import read_report
    from citysoc.vulns.parsers.base import ParseError

    started = time.monotonic()
    data = path.read_bytes()
    try:
        report = read_report(data, path.name, opts.tool)
    except ParseError as exc:
        print(f"citysoc: {path.name}: {exc}", file=sys.stderr)
        return 2
    if opts.dry_run:
        result = importing.count_only(report)
    else:
        unit = Unit.objects.filter(code=opts.unit).first()
        if unit is None:
            print(f"citysoc: no unit with code {opts.unit!r}.", file=sys.stderr)
            return 2
        label = f"cli:{os.environ.get('USER', 'operator')}"
        with audit.acting_as(None, via="cli", label=label):
            result = importing.import_report(
                report, unit, file_name=path.name, sha256=hashlib.sha256(data).hexdigest()
            )
    result.seconds = time.monotonic() - started  # reading and parsing included
    if opts.json:
        print(json.dumps(result.as_json(), ensure_ascii=False))
    else:
        print(
            f"{result.tool}: {result.findings} findings ({result.new} new, "
            f"{result.still_open} still open, {result.mitigated} mitigated, "
            f"{result.reopened} reopened), {result.hosts} hosts, "
            f"{len(result.unknown_hosts)} unknown, {result.rejected} rejected"
        )
        for where in report.rejected[:20]:
            print(f"  rejected {where.where}: {where.reason}")
        if len(report.rejected) > 20:
            print(f"  … and {len(report.rejected) - 20} more rejected")
        if result.unknown_hosts:
            shown = ", ".join(result.unknown_hosts[:20])
            more = (
                f" and {len(result.unknown_hosts) - 20} more"
                if len(result.unknown_hosts) > 20
                else ""
            )
            print(
                f"  hosts not in the unit's inventory (add them to attach findings): {shown}{more}"
            )
    return 1 if result.rejected else 0
