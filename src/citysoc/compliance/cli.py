"""`citysoc load-libraries [--json] [--folder PATH]…` and `--export URN --output FILE.xlsx`.

Exit codes: 0 every file loaded or unchanged, 2 some file is invalid (it was not loaded;
the message names the file and the place in it) or the export failed.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path


def load_libraries(argv: list[str], setup_django: Callable[[], None]) -> int:
    parser = argparse.ArgumentParser(
        prog="citysoc load-libraries",
        description="Load the framework libraries (requirements per security level) into the "
        "database. Loading again changes nothing unless a file's version was raised.",
    )
    parser.add_argument(
        "--folder",
        action="append",
        help="a folder of .yaml/.xlsx libraries, or one file (repeatable). Default: the "
        "shipped libraries and the folders in CITYSOC_LIBRARY_DIRS",
    )
    parser.add_argument("--json", action="store_true", help="print a JSON list, one per file")
    parser.add_argument("--export", metavar="URN", help="write this library as an Excel workbook")
    parser.add_argument("--output", metavar="FILE", help="where --export writes (.xlsx)")
    opts = parser.parse_args(argv)
    for folder in opts.folder or []:
        if not Path(folder).exists():
            print(f"citysoc: {folder} does not exist. Check the path.", file=sys.stderr)
            return 2
    setup_django()
    from django.db import DatabaseError

    try:
        return _run(opts)
    except DatabaseError as exc:
        print(
            f"citysoc: the database is not ready ({exc}). Run `citysoc migrate` first "
            "(migrate also loads the libraries).",
            file=sys.stderr,
        )
        return 2


def _run(opts) -> int:
    if opts.export:
        return _export(opts.export, opts.output, opts.folder)
    from citysoc.compliance import libraries

    results = []
    for folder in opts.folder or [None]:
        results += libraries.load_all(folder)
    if opts.json:
        print(json.dumps([r.as_json() for r in results], ensure_ascii=False, indent=1))
    else:
        for result in results:
            print(libraries.describe(result))
        if not results:
            print("No library files found.")
    bad = [r for r in results if not r.ok]
    if bad:
        print(
            f"citysoc: {len(bad)} library file(s) invalid and not loaded: "
            + ", ".join(r.file for r in bad),
            file=sys.stderr,
        )
        return 2
    return 0


def _export(urn: str, output: str | None, folders: list[str] | None) -> int:
    from citysoc.compliance import libraries, library_sheets

    if not output or not output.endswith(".xlsx"):
        print("citysoc: give --output FILE.xlsx for the workbook.", file=sys.stderr)
        return 2
    dirs = [Path(f) for f in folders] if folders else None
    doc = next((d for d in libraries.documents(dirs) if d["urn"] == urn), None)
    if doc is None:
        print(
            f"citysoc: no valid library file has urn {urn}. List them with: "
            "citysoc load-libraries --json",
            file=sys.stderr,
        )
        return 2
    Path(output).write_bytes(library_sheets.export_workbook(doc))
    print(f"wrote {output}: {len(doc['requirements'])} requirements of {urn} v{doc['version']}")
    return 0
