"""EPSS scores (FIRST.org): read the daily CSV (plain or .gz) and load.

The file starts with a comment line `#model_version:...,score_date:...`, then the header
`cve,epss,percentile`. A row with a bad CVE id or a score outside 0..1 is rejected with
its line number; the rest is kept. `load()` replaces the city's scores in one transaction
and re-enriches the active findings.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import re
import zlib
from dataclasses import dataclass

from django.db import transaction

from citysoc.vulns.kev import CVE, FeedError, LoadResult

MAX_BYTES = 200 * 1024 * 1024  # unpacked; the full file is about 10 MB
SCORE_DATE = re.compile(r"score_date:(\d{4}-\d{2}-\d{2})")
VERSION = re.compile(r"model_version:([^,\s]+)")


@dataclass(frozen=True, slots=True)
class Score:
    cve: str
    score: float
    percentile: float


@dataclass(frozen=True)
class Scores:
    version: str
    scored_on: dt.date | None
    scores: tuple[Score, ...]
    rejected: tuple[str, ...] = ()


def unpack(data: bytes) -> bytes:
    if data[:2] != b"\x1f\x8b":
        return data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as f:
            out = f.read(MAX_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise FeedError(f"the EPSS .gz file is damaged or cut short: {exc}") from exc
    if len(out) > MAX_BYTES:
        raise FeedError(f"the EPSS file unpacks to more than {MAX_BYTES // 2**20} MB")
    return out


def parse(data: bytes) -> Scores:
    text = unpack(data).decode("utf-8-sig", errors="replace")
    lines = text.splitlines()
    version, scored_on, first = "", None, 0
    if lines and lines[0].startswith("#"):
        found = SCORE_DATE.search(lines[0])
        scored_on = dt.date.fromisoformat(found.group(1)) if found else None
        stated = VERSION.search(lines[0])
        version = stated[1] if stated else ""
        first = 1
    reader = csv.DictReader(lines[first:])
    if not {"cve", "epss", "percentile"} <= set(reader.fieldnames or []):
        raise FeedError("not an EPSS file: the header must be 'cve,epss,percentile'")
    scores: dict[str, Score] = {}
    rejected: list[str] = []
    for n, row in enumerate(reader, start=first + 2):
        try:
            score = _score(row)
        except ValueError as exc:
            rejected.append(f"line {n}: {exc}")
            continue
        scores[score.cve] = score
    return Scores(version, scored_on, tuple(scores.values()), tuple(rejected))


def _score(row: dict) -> Score:
    cve = (row.get("cve") or "").strip().upper()
    if not CVE.match(cve):
        raise ValueError(f"cve {cve!r} is not a CVE identifier")
    try:
        score, percentile = float(row["epss"]), float(row["percentile"])
    except (TypeError, ValueError):
        raise ValueError(f"epss {row.get('epss')!r} or percentile is not a number") from None
    if not (0 <= score <= 1 and 0 <= percentile <= 1):
        raise ValueError("epss and percentile must be between 0 and 1")
    return Score(cve, score, percentile)


def load(data: bytes) -> LoadResult:
    """Replace the city's EPSS scores with this file and re-enrich the active findings."""
    from citysoc.vulns import priority
    from citysoc.vulns.models import EpssScore

    parsed = parse(data)
    if not parsed.scores:
        raise FeedError("the EPSS file holds no score; the current scores are kept")
    with transaction.atomic():
        EpssScore.objects.all().delete()
        EpssScore.objects.bulk_create(
            [
                EpssScore(
                    cve=s.cve, score=s.score, percentile=s.percentile, scored_on=parsed.scored_on
                )
                for s in parsed.scores
            ],
            batch_size=2000,
        )
        checked = priority.refresh_all()
    version = parsed.scored_on.isoformat() if parsed.scored_on else parsed.version
    return LoadResult("epss", version, len(parsed.scores), parsed.rejected, checked)
