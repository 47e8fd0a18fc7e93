"""`citysoc awareness load-starter [--file F] [--json]`, `import-scams FILE --list NAME [--json]`,
`check TEXT [--json]`, `reported FILE.eml`, `daily`.

Exit codes: 0 done, 1 done with rejected lines (import-scams) or a dangerous verdict
(check), 2 nothing done (file missing, unreadable).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path


def awareness(argv: list[str], setup_django: Callable[[], None]) -> int:
    parser = argparse.ArgumentParser(prog="citysoc awareness", description="Awareness area.")
    sub = parser.add_subparsers(dest="what", required=True)
    starter = sub.add_parser("load-starter", help="load or update the starter courses")
    starter.add_argument("--file", help="another course file of the same shape (YAML)")
    starter.add_argument("--json", action="store_true", help="print a JSON summary")
    scams = sub.add_parser("import-scams", help="replace a scam list from a file")
    scams.add_argument("file", help=".txt (one a line), .csv (value[,kind,note]) or .json")
    scams.add_argument("--list", required=True, help="the list's name, e.g. chongluadao")
    scams.add_argument("--json", action="store_true")
    check = sub.add_parser("check", help="check a link, domain, phone number or message")
    check.add_argument("text")
    check.add_argument("--json", action="store_true")
    reported = sub.add_parser("reported", help="mark the drill e-mail in a forwarded .eml")
    reported.add_argument("file")
    sub.add_parser("daily", help="assign programme rounds and send reminders now")
    opts = parser.parse_args(argv)
    setup_django()
    from citysoc.core import audit

    label = f"cli:{os.environ.get('USER', 'operator')}"
    with audit.acting_as(None, via="cli", label=label):
        return {
            "load-starter": _load_starter,
            "import-scams": _import_scams,
            "check": _check,
            "reported": _reported,
            "daily": _daily,
        }[opts.what](opts)


def _load_starter(opts) -> int:
    from citysoc.awareness import starter

    path = Path(opts.file) if opts.file else starter.STARTER
    if not path.is_file():
        print(f"citysoc: file not found: {path}. Check the path.", file=sys.stderr)
        return 2
    try:
        loaded = starter.load(path)
    except (ValueError, KeyError, OSError) as exc:
        print(f"citysoc: {path.name}: {exc!r}; nothing was loaded.", file=sys.stderr)
        return 2
    if opts.json:
        print(json.dumps(loaded.as_json(), ensure_ascii=False))
    else:
        print(
            f"starter content: {len(loaded.created)} created, {len(loaded.updated)} updated, "
            f"{len(loaded.unchanged)} unchanged"
        )
    return 0


def _import_scams(opts) -> int:
    from citysoc.awareness import scamlists

    path = Path(opts.file)
    if not path.is_file():
        print(f"citysoc: file not found: {path}. Check the path.", file=sys.stderr)
        return 2
    result = scamlists.import_list(path.read_bytes(), path.name, opts.list)
    if opts.json:
        print(json.dumps(result.as_json(), ensure_ascii=False))
    else:
        print(f"{opts.list}: {result.kept} kept ({result.new} new), "
              f"{len(result.rejected)} rejected")  # fmt: skip
        for line, reason in result.rejected[:20]:
            print(f"  line {line}: {reason}")
    if result.rejected and not result.kept:
        return 2
    return 1 if result.rejected else 0


def _check(opts) -> int:
    from citysoc.awareness import scamlists

    answer = scamlists.as_json(scamlists.check(opts.text))
    if opts.json:
        print(json.dumps(answer, ensure_ascii=False))
    else:
        print(answer["verdict"])
        for reason in answer["reasons"]:
            print(f"  - {reason}")
    return 1 if answer["verdict"] == "dangerous" else 0


def _reported(opts) -> int:
    from citysoc.awareness import drills

    path = Path(opts.file)
    if not path.is_file():
        print(f"citysoc: file not found: {path}. Check the path.", file=sys.stderr)
        return 2
    target = drills.reported_from_message(path.read_bytes())
    if target is None:
        print("citysoc: no drill tracking id in this message; it may be real phishing: "
              "handle it as an incident.", file=sys.stderr)  # fmt: skip
        return 2
    print(f"reported: {target.person.full_name} ({target.drill.name})")
    return 0


def _daily(opts) -> int:
    from citysoc.awareness import programmes

    print(json.dumps(programmes.run_daily()))
    return 0
