"""`citysoc agent-token create --unit CODE [--days N] [--note T]`, `citysoc import-sweep FILE` and
`citysoc sweep-rules add FILE --name N --kind yara|hashes|filenames` / `sweep-rules list`.

Exit codes: 0 done, 1 imported but the host is infected or suspicious, 2 nothing done
(unknown unit, unreadable or refused file).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path


def agent_token(argv: list[str], setup_django: Callable[[], None]) -> int:
    parser = argparse.ArgumentParser(
        prog="citysoc agent-token", description="Enrolment tokens for the sweep agent."
    )
    verbs = parser.add_subparsers(dest="verb", required=True)
    create = verbs.add_parser("create", help="a new token for one unit; printed once")
    create.add_argument("--unit", required=True, help="code of the unit the hosts belong to")
    create.add_argument("--days", type=int, default=7, help="valid for this many days (7)")
    create.add_argument("--uses", type=int, default=100, help="at most this many hosts (100)")
    create.add_argument("--note", default="", help="a note to recognise the token later")
    opts = parser.parse_args(argv)
    setup_django()
    from citysoc.core import audit
    from citysoc.core.models import Unit
    from citysoc.sweep import enrolment

    unit = Unit.objects.filter(code=opts.unit).first()
    if unit is None:
        print(f"citysoc: no unit with code {opts.unit!r}.", file=sys.stderr)
        return 2
    with audit.acting_as(None, via="cli", label=f"cli:{os.environ.get('USER', 'operator')}"):
        new = enrolment.create_token(unit, note=opts.note, days=opts.days, max_uses=opts.uses)
    print(new.secret)
    print(
        f"Enrols up to {opts.uses} hosts into {unit.code} until "
        f"{new.token.expires_at:%d/%m/%Y %H:%M} UTC. On each host: "
        f"citysoc-agent enroll https://YOUR-CITYSOC {new.secret}",
        file=sys.stderr,
    )
    return 0


def import_sweep(argv: list[str], setup_django: Callable[[], None]) -> int:
    parser = argparse.ArgumentParser(
        prog="citysoc import-sweep",
        description="Import a signed result file written by an offline sweep bundle.",
    )
    parser.add_argument("file", help="the result file (citysoc-sweep-HOST-DATE.json)")
    parser.add_argument("--json", action="store_true", help="print a one-line JSON summary")
    opts = parser.parse_args(argv)
    path = Path(opts.file)
    if not path.is_file():
        print(f"citysoc: file not found: {path}. Check the path.", file=sys.stderr)
        return 2
    setup_django()
    from citysoc.core import audit
    from citysoc.sweep import bundles
    from citysoc.sweep.enrolment import Refused

    try:
        with audit.acting_as(None, via="cli", label=f"cli:{os.environ.get('USER', 'operator')}"):
            result, created = bundles.import_result(path.read_bytes())
    except Refused as exc:
        print(f"citysoc: {path.name}: refused: {exc}", file=sys.stderr)
        return 2
    summary = {
        "result": result.pk,
        "host": result.host.hostname,
        "unit": result.unit.code,
        "verdict": result.verdict,
        "hits": result.hit_count,
        "new": created,
        "tasks": list(result.tasks.values_list("pk", flat=True)),
    }
    if opts.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        seen = "" if created else " (already imported)"
        print(
            f"{result.host.hostname} ({result.unit.code}): {result.get_verdict_display()}, "
            f"{result.hit_count} hits, {result.files} files{seen}"
        )
    return 0 if result.verdict == "clean" else 1


def sweep_rules(argv: list[str], setup_django: Callable[[], None]) -> int:
    parser = argparse.ArgumentParser(
        prog="citysoc sweep-rules", description="The rule sets every sweep job carries."
    )
    verbs = parser.add_subparsers(dest="verb", required=True)
    add = verbs.add_parser("add", help="add a file as the next version of a named rule set")
    add.add_argument("file", help="a .yar file, a HASH;DESCRIPTION list or REGEX;SCORE list")
    add.add_argument("--name", required=True, help="the rule set's name, e.g. city-yara")
    add.add_argument("--kind", required=True, choices=["yara", "hashes", "filenames"])
    add.add_argument("--json", action="store_true", help="print a one-line JSON summary")
    verbs.add_parser("list", help="the newest version of each rule set")
    opts = parser.parse_args(argv)
    setup_django()
    from django.db.models import Max
    from django.utils import translation

    from citysoc.core import audit
    from citysoc.sweep import rules
    from citysoc.sweep.models import RuleSet

    if opts.verb == "list":
        newest = RuleSet.objects.values("name").annotate(v=Max("version")).order_by("name")
        for row in newest:
            rs = RuleSet.objects.get(name=row["name"], version=row["v"])
            state = "sent to agents" if rs.active else "not sent"
            print(f"{rs.name:30} v{rs.version:<4} {rs.kind:10} {rs.created_at:%d/%m/%Y}  {state}")
        return 0
    path = Path(opts.file)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"citysoc: cannot read {path}: {exc}. Give a UTF-8 text file.", file=sys.stderr)
        return 2
    try:
        who = f"cli:{os.environ.get('USER', 'operator')}"
        # The command line speaks English throughout; the page gives the same errors translated.
        with audit.acting_as(None, via="cli", label=who), translation.override("en"):
            added = rules.add_version(opts.name, opts.kind, text)
    except rules.RuleError as exc:
        print(f"citysoc: {path.name}: {exc}. Nothing was saved.", file=sys.stderr)
        return 2
    rs = added.rule_set
    summary = {"name": rs.name, "version": rs.version, "kind": rs.kind, "rules": added.rules}
    if opts.json:
        print(json.dumps(summary))
    else:
        print(f"{rs.name} v{rs.version}: {added.rules} rules; every new sweep job carries it.")
    return 0
