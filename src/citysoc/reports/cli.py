"""`citysoc report KIND [--docx OUT] [--pdf OUT] [--xlsx OUT] [--mail] [--snapshot]`.

KIND is weekly, half-year or year. With no output option, the summary is printed.
Exit codes: 0 written (or mailed), 2 a file could not be written or no font for the PDF.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

KINDS = ("weekly", "half-year", "year")


def report(argv: list[str], setup_django: Callable[[], None]) -> int:
    parser = argparse.ArgumentParser(
        prog="citysoc report",
        description="Write the weekly, 6-monthly or yearly report from the scoreboard figures.",
    )
    parser.add_argument("kind", choices=KINDS)
    for fmt in ("docx", "pdf", "xlsx"):
        parser.add_argument(f"--{fmt}", metavar="OUT", help=f"write the report as {fmt.upper()}")
    parser.add_argument("--mail", action="store_true", help="queue it to the city's leaders")
    parser.add_argument("--snapshot", action="store_true", help="store this week's scores first")
    opts = parser.parse_args(argv)
    setup_django()
    from citysoc.core.models import Unit
    from citysoc.lib.official_document.pdf import FontMissing
    from citysoc.reports import documents, mailing, periodic, snapshots

    if opts.snapshot:
        print(f"scores stored for {snapshots.take()} units")
    figures = periodic.figures(opts.kind, Unit.objects.all())
    print(documents.summary(figures))
    for fmt in ("docx", "pdf", "xlsx"):
        out = getattr(opts, fmt)
        if not out:
            continue
        try:
            Path(out).write_bytes(documents.render(figures, fmt))
        except (OSError, FontMissing) as exc:
            print(f"citysoc: cannot write {out}: {exc}", file=sys.stderr)
            return 2
        print(f"written: {out}")
    if opts.mail:
        print(f"queued to the city's leaders as outbox message {mailing.mail_report(opts.kind)}")
    return 0
