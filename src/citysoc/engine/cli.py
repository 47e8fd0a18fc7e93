"""`python -m citysoc.engine match …` (also `citysoc match …`): match logs against lists.

    match --indicators FILE [--indicators FILE …] [--format auto|NAME]
          [--columns src=…,dst=…,time=…] [--out FILE.csv|.jsonl|.parquet] [--json]
          [--fail-on-match] [--engine local|spark] [--master URL] LOG …

Exit codes: 0 ok, 1 matches found with --fail-on-match, 2 bad input (message on stderr).
With --json, stdout is one line: {"records", "rejected", "matches", "hits", "hosts",
"indicators", "seconds"}; `matches` counts records with at least one hit, `hits` counts
(record, indicator) pairs, `hosts` distinct internal hosts, `indicators` distinct
indicators that hit. The compiled indicator set is cached in $CITYSOC_ENGINE_CACHE
(default ~/.cache/citysoc/engine; `off` disables).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import pkgutil
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

if TYPE_CHECKING:
    from collections.abc import Iterable

    import pyarrow as pa

    from citysoc.engine.indicators import IndicatorSet
    from citysoc.engine.readers import base
    from citysoc.engine.summary import HitSummary

# NumPy, pyarrow and the compiled kernels are loaded only once the arguments are read, so
# that `--help` and a mistyped option answer at once.
READER_HELPERS = frozenset({"base", "_common"})

EXIT_OK, EXIT_MATCHED, EXIT_BAD_INPUT = 0, 1, 2
ROLES = ("src", "dst", "time", "domain")
OUT_SUFFIXES = (".csv", ".jsonl", ".parquet")


class UsageError(Exception):
    """Bad input: the message says what happened and what to do."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # exit code 2 with our tone, not argparse's
        raise UsageError(f"{message}\nRun with --help to see the options.")


def reader_names() -> list[str]:
    """The log formats, from the readers' module names (each module's NAME is its name)."""
    spec = importlib.util.find_spec("citysoc.engine.readers")
    locations = spec.submodule_search_locations if spec else None
    names = (m.name for m in pkgutil.iter_modules(locations or []))
    return sorted(n for n in names if n not in READER_HELPERS)


def keep_pandas_out() -> None:
    """Make pandas unimportable in this process: the matcher never uses it.

    pyarrow imports pandas, when it is installed, the first time it converts a Python or
    NumPy value, only to ask whether the value is a pandas object: about a second and 60 MB
    for nothing. Only for a whole `citysoc match` process on the local engine (Spark needs
    pandas for its Arrow bridge), never for a library call inside a larger program.
    """
    if "pandas" not in sys.modules:
        sys.meta_path.insert(0, _NoPandas())


class _NoPandas:
    """An import finder that answers "not installed" for pandas (see keep_pandas_out)."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError(f"pandas is not used by citysoc match ({name})")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="citysoc", description="Match logs against indicator lists.")
    sub = parser.add_subparsers(dest="verb", required=True)
    m = sub.add_parser("match", help="match log files against indicator lists")
    m.__class__ = _Parser
    m.add_argument(
        "--indicators",
        action="append",
        required=True,
        metavar="FILE",
        help="indicator list (plain or CSV); repeat for several lists",
    )
    m.add_argument(
        "--format",
        default="auto",
        choices=["auto", *reader_names()],
        help="log format (default: detect from the first lines)",
    )
    m.add_argument(
        "--columns",
        default="",
        metavar="src=…,dst=…,time=…",
        help="CSV column mapping: header names or 1-based numbers",
    )
    m.add_argument("--out", metavar="FILE", help="write hits to FILE.csv, .jsonl or .parquet")
    m.add_argument("--json", action="store_true", help="print a one-line JSON summary")
    m.add_argument("--fail-on-match", action="store_true", help="exit 1 when anything matched")
    m.add_argument("--engine", default="local", choices=["local", "spark"], help="where to run")
    m.add_argument(
        "--master",
        default=None,
        metavar="URL",
        help="Spark master (default: local[*] or spark-submit's)",
    )
    m.add_argument("logs", nargs="+", metavar="LOG", help="log files, plain or gzip")
    return parser


def parse_columns(text: str) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        role, eq, column = part.partition("=")
        role = role.strip().lower()
        if not eq or role not in ROLES or not column.strip():
            raise UsageError(
                f"--columns: '{part}' is not ROLE=COLUMN with ROLE one of {', '.join(ROLES)};"
                " example: --columns src=source_ip,dst=dest_ip,time=timestamp"
            )
        mapping[role] = column.strip()
    return mapping


def cache_dir() -> Path | None:
    value = os.environ.get("CITYSOC_ENGINE_CACHE", "")
    if value.lower() in ("off", "0", "no"):
        return None
    return Path(value) if value else Path.home() / ".cache" / "citysoc" / "engine"


class ProgressBar:
    """Bytes done, rate and ETA on stderr; silent for runs shorter than two seconds."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total = max(total, 1)
        self.done = 0
        self.stream = stream
        self.start = time.monotonic()
        self.last = 0.0
        self.tty = stream.isatty()
        self.shown = False

    def __call__(self, delta: int) -> None:
        self.done += delta
        now = time.monotonic()
        elapsed = now - self.start
        if elapsed < 2 or now - self.last < (0.5 if self.tty else 10):
            return
        self.last = now
        rate = self.done / elapsed
        eta = (self.total - self.done) / rate if rate else 0
        line = (
            f"{self.done / 1e6:,.0f} / {self.total / 1e6:,.0f} MB  {rate / 1e6:,.0f} MB/s  "
            f"ETA {int(eta) // 60}:{int(eta) % 60:02d}"
        )
        self.stream.write(("\r" + line) if self.tty else line + "\n")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown and self.tty:
            self.stream.write("\n")


def main(argv: list[str] | None = None, *, whole_process: bool | None = None) -> int:
    """Entry point; `argv` starts with the verb (`match`).

    `whole_process`: this process runs the command and nothing else (the default when the
    arguments come from the command line), so what the run does not need may be refused.
    """
    try:
        args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    except UsageError as exc:
        print(f"citysoc match: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if (argv is None if whole_process is None else whole_process) and args.engine != "spark":
        keep_pandas_out()
    from citysoc.engine.indicators import IndicatorError
    from citysoc.engine.readers.base import ReaderError

    try:
        return _main(args)
    except UsageError as exc:
        print(f"citysoc match: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (IndicatorError, ReaderError) as exc:
        print(f"citysoc match: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("citysoc match: interrupted; no output written.", file=sys.stderr)
        return 130


def _main(args: argparse.Namespace) -> int:
    from citysoc.engine import pipeline
    from citysoc.engine.readers import READERS, base, detect
    from citysoc.engine.summary import HitSummary

    started = time.monotonic()
    columns = parse_columns(args.columns)
    if args.out and not args.out.endswith(OUT_SUFFIXES):
        raise UsageError(f"--out {args.out}: the name must end in .csv, .jsonl or .parquet")
    indicators = _load_indicators(args.indicators)
    logs = [Path(p) for p in args.logs]
    missing = [str(p) for p in logs if not p.is_file()]
    if missing:
        raise UsageError(f"log file not found: {', '.join(missing)}. Check the path.")
    if args.format == "auto":
        readers = [detect(p) for p in logs]
    else:
        readers = [READERS[args.format]] * len(logs)
    options = {"columns": columns} if columns else {}
    stats = base.ReadStats()
    running = HitSummary(detail=not args.json)  # --json needs counts only
    counting = args.json and not args.out
    sink = HitWriter(Path(args.out)) if args.out else None
    if args.engine == "spark":
        from citysoc.engine import spark

        tables: Iterable[pa.Table] = [
            spark.match_with_spark(
                indicators, list(logs), readers, options, stats, master=args.master
            )
        ]
    else:
        bar = ProgressBar(sum(p.stat().st_size for p in logs), sys.stderr)
        # --json alone only counts: the list's metadata columns are not read for the hits.
        tables = pipeline.iter_hits(
            indicators, list(logs), readers, options, stats, progress=bar, metadata=not counting
        )
    try:
        # Hits are written and summarised block by block: memory does not grow with them.
        for table in tables:
            running.add(table)
            if sink is not None:
                sink.write(table)
    finally:
        if sink is not None:
            sink.close()
    if args.engine != "spark":
        bar.close()
    summary = _summary(running, stats, time.monotonic() - started)
    _report_rejects(stats)
    if args.json:
        print(json.dumps(summary))
    else:
        _print_human(summary, running)
    if args.fail_on_match and summary["matches"]:
        return EXIT_MATCHED
    return EXIT_OK


def _load_indicators(paths: list[str]) -> IndicatorSet:
    from citysoc.engine.indicators import load_indicator_files

    missing = [p for p in paths if not Path(p).is_file()]
    if missing:
        raise UsageError(f"indicator file not found: {', '.join(missing)}. Check the path.")
    indicators = load_indicator_files(paths, cache_dir())
    if indicators.rejected:
        print(
            f"citysoc match: {len(indicators.rejected)} indicator entries rejected "
            "(first few below); the rest are used.",
            file=sys.stderr,
        )
        for r in indicators.rejected[:5]:
            print(f"  {r}", file=sys.stderr)
    if len(indicators) == 0:
        raise UsageError(
            "no usable indicator in " + ", ".join(paths) + ": every line was empty, a comment"
            " or rejected. Check that the file is an IP/CIDR/domain list or a CSV with an"
            " 'indicator' (or ip, domain, url) column."
        )
    return indicators


def _summary(running: HitSummary, stats: base.ReadStats, seconds: float) -> dict[str, Any]:
    return {
        "records": stats.records,
        "rejected": stats.rejected,
        "matches": running.matches,
        "hits": running.hits,
        "hosts": running.hosts,
        "indicators": running.indicators,
        "seconds": round(seconds, 3),
    }


def _report_rejects(stats: base.ReadStats) -> None:
    if not stats.rejected:
        return
    print(
        f"citysoc match: {stats.rejected} log lines could not be read (first "
        f"{len(stats.rejects)} below); the rest were matched.",
        file=sys.stderr,
    )
    for source, line, reason, text in stats.rejects[:10]:
        print(f"  {source}:{line}: {reason}: {text[:120]}", file=sys.stderr)


def _print_human(summary: dict[str, Any], running: HitSummary) -> None:
    print(
        f"{summary['records']:,} records read, {summary['rejected']:,} rejected, "
        f"{summary['matches']:,} matched ({summary['hits']:,} hits, {summary['hosts']:,} "
        f"internal hosts, {summary['indicators']:,} indicators) in {summary['seconds']:.1f} s"
    )
    if summary["hits"]:
        table = running.summary()
        print(f"{'internal host':20} {'hits':>5}  {'first seen':24}  {'last seen':24}  families")
        for row in table.slice(0, 20).to_pylist():
            families = ",".join(f for f in row["families"] if f) or "-"
            print(
                f"{row['internal_host'] or '-':20} {row['hits']:>5}  {row['first_seen'] or '-':24}"
                f"  {row['last_seen'] or '-':24}  {families}"
            )
        if table.num_rows > 20:
            print(f"… and {table.num_rows - 20} more hosts (use --out for everything)")


class HitWriter:
    """Append hit tables to FILE.csv, .jsonl or .parquet as they come."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._writer: Any = None  # pyarrow's ParquetWriter or CSVWriter (untyped)
        self._fh: TextIO | None = None

    def write(self, hits: pa.Table) -> None:
        try:
            self._write(hits)
        except OSError as exc:
            raise UsageError(
                f"cannot write {self.path}: {exc.strerror}. Check the folder exists and is"
                " writable."
            ) from exc

    def _write(self, hits: pa.Table) -> None:
        suffix = self.path.suffix
        if suffix == ".jsonl":
            if self._fh is None:
                self._fh = self.path.open("w", encoding="utf-8")
            for row in hits.to_pylist():  # hits only, never whole logs
                self._fh.write(json.dumps(row, default=str) + "\n")
            return
        if self._writer is None:
            if suffix == ".parquet":
                import pyarrow.parquet as pq

                self._writer = pq.ParquetWriter(self.path, hits.schema)
            else:
                import pyarrow.csv as pcsv

                self._writer = pcsv.CSVWriter(self.path, hits.schema)
        self._writer.write_table(hits.cast(self._writer.schema) if suffix == ".parquet" else hits)

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
        if self._writer is not None:
            self._writer.close()
        elif self._fh is None:
            self.path.write_text("")  # no hits: an empty file says "ran, found nothing"
