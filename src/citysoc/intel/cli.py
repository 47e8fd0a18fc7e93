"""`citysoc import-indicators FILE --source NAME [--json]`.

Exit codes: 0 imported (every row kept), 1 imported with rejected rows, 2 nothing imported
(bad file, unknown columns, unreadable format).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path


def import_indicators(argv: list[str], setup_django: Callable[[], None]) -> int:
    parser = argparse.ArgumentParser(
        prog="citysoc import-indicators",
        description="Import an indicator list as a new version of SOURCE and match every unit.",
    )
    parser.add_argument("file", help="the list: .xlsx/.csv botnet sheet, text list, STIX, MISP…")
    parser.add_argument("--source", required=True, help="the list's source, e.g. 'VNCERT botnet'")
    parser.add_argument("--period", default="", help="the period the list covers, e.g. 2024-01")
    parser.add_argument("--format", default="auto", help="format name (default: detect)")
    parser.add_argument("--json", action="store_true", help="print a one-line JSON summary")
    opts = parser.parse_args(argv)
    path = Path(opts.file)
    if not path.is_file():
        print(f"citysoc: file not found: {path}. Check the path.", file=sys.stderr)
        return 2
    setup_django()
    from citysoc.core import audit
    from citysoc.intel import formats, importing, tasks

    data = path.read_bytes()
    label = f"cli:{os.environ.get('USER', 'operator')}"
    with audit.acting_as(None, via="cli", label=label):
        source = importing.source_named(opts.source)
        version, created = importing.receive(
            source, data, path.name, period=opts.period, format=opts.format
        )
        try:
            result = importing.process(version)
        except formats.NeedsMapping as exc:
            print(
                f"citysoc: {path.name}: no column could be read as the IP address "
                f"(headers: {', '.join(map(str, exc.headers))}). Map the columns once on the "
                f"source's page in the web UI (Danh sách botnet → {source.name}), then run "
                "this again.",
                file=sys.stderr,
            )
            return 2
        except ValueError as exc:
            print(f"citysoc: {path.name}: {exc}", file=sys.stderr)
            return 2
        tasks.queue_retro_hunt(version)  # the kept logs, against this version, in the worker
    if opts.json:
        print(json.dumps(result.as_json(), ensure_ascii=False))
    else:
        print(describe(result, source.name, created))
    if result.indicators == 0:
        return 2
    return 1 if result.rejected else 0


def describe(result, source: str, created: bool) -> str:
    lines = []
    if not created:
        lines.append(f"This file was already imported as version {result.version}; nothing new.")
    lines.append(
        f"{source}: version {result.version} — {result.rows} rows, {result.indicators} "
        f"indicators kept, {len(result.rejected)} rejected, {result.skipped} comment/blank lines."
    )
    lines.append(
        f"{result.sightings} listed addresses found in the units; {result.tasks_opened} clean-up "
        f"tasks opened, {result.tasks_reopened} reopened, {result.tasks_verified} verified."
    )
    for r in result.rejected[:20]:
        lines.append(f"  row {r['row']}: {r['reason']}")
    if len(result.rejected) > 20:
        lines.append(f"  … and {len(result.rejected) - 20} more rejected rows (see the web page).")
    return "\n".join(lines)
