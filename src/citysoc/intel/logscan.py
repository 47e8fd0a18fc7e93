"""Logs against lists: which internal hosts talked to listed addresses or domains.

A log upload is streamed through the engine (bounded memory, any size) against the
newest version of every source — or, for a retro-hunt, against one new version. Hits are
folded per (internal address, remote, list version) as they stream, so memory grows with
the distinct contacts, not the log size. Internal addresses are placed in the uploading
unit's own subtree first (private addresses repeat across units); an address registered
nowhere there is the uploading unit's, host unknown.
"""

from __future__ import annotations

import functools
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pyarrow as pa
import pyarrow.compute as pc
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from citysoc.core.models import Unit
from citysoc.core.public_errors import without_server_paths
from citysoc.engine import IndicatorSet, pipeline
from citysoc.engine.readers import READERS, base, detect
from citysoc.intel import cleanup
from citysoc.intel.models import Indicator, ListVersion, LogScan, LogUpload, Sighting
from citysoc.inventory import attribution

logger = logging.getLogger(__name__)

EVIDENCE_LINES = 5
PROGRESS_SECONDS = 1.0
MATCHABLE = ("ipv4", "ipv6", "cidr", "range", "domain", "url")


def retention_days() -> int:
    return int(getattr(settings, "CITYSOC_LOG_RETENTION_DAYS", 90))


def latest_versions() -> list[ListVersion]:
    """The newest finished version of every active source."""
    versions = []
    for source_id in (
        ListVersion.objects.filter(status=ListVersion.Status.DONE, source__active=True)
        .values_list("source_id", flat=True)
        .distinct()
    ):
        newest = (
            ListVersion.objects.filter(source_id=source_id, status=ListVersion.Status.DONE)
            .order_by("-id")
            .first()
        )
        if newest is not None:  # the source has a finished version: it was just listed
            versions.append(newest)
    return sorted(versions, key=lambda v: v.pk)


def indicator_set(versions: list[ListVersion]) -> IndicatorSet:
    """The matchable indicators of `versions` compiled into one set (list_version = id)."""
    rows = Indicator.objects.filter(version__in=versions, kind__in=MATCHABLE).values_list(
        "value", "version_id", "family", "c2"
    )
    values, version_ids, families, c2s = [], [], [], []
    for value, version_id, family, c2 in rows.iterator(chunk_size=20000):
        values.append(value)
        version_ids.append(str(version_id))
        families.append(family)
        c2s.append(c2)
    table = pa.table(
        {
            "indicator": pa.array(values, pa.string()),
            "list_version": pa.array(version_ids, pa.string()),
            "family": pa.array(families, pa.string()),
            "c2_address": pa.array(c2s, pa.string()),
        }
    )
    return IndicatorSet.from_arrow(table, source="lists")


@dataclass
class Contact:
    count: int = 0
    first: str = ""
    last: str = ""
    family: str = ""
    evidence: list[dict] = field(default_factory=list)


def _fold(contacts: dict, hits: pa.Table) -> None:
    cols = {
        name: hits.column(name).to_pylist()
        for name in ("record", "time", "internal_host", "remote", "direction", "list_version")
    }
    families = hits.column("family").to_pylist()
    for k in range(hits.num_rows):
        internal = cols["internal_host"][k]
        if not internal:
            continue
        key = (internal, cols["remote"][k], cols["list_version"][k])
        c = contacts.get(key)
        if c is None:
            c = contacts[key] = Contact(family=families[k] or "")
        c.count += 1
        t = cols["time"][k] or ""
        if t and (not c.first or t < c.first):
            c.first = t
        if t and t > c.last:
            c.last = t
        if len(c.evidence) < EVIDENCE_LINES:
            c.evidence.append(
                {"line": cols["record"][k], "time": t, "direction": cols["direction"][k]}
            )


def _as_datetime(text: str) -> datetime | None:
    """Reader times are ISO 8601 or epoch seconds; anything else is kept only as evidence."""
    if not text:
        return None
    try:
        if text.replace(".", "", 1).isdigit():
            return datetime.fromtimestamp(float(text), tz=UTC)
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, OverflowError):
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


@dataclass(frozen=True, slots=True)
class ScanSummary:
    """What one scan of a log found; `error` is set (and the counts 0) when it failed."""

    matches: int = 0
    hosts: int = 0
    sightings: int = 0
    records: int = 0
    error: str = ""

    def as_dict(self) -> dict[str, int | str]:
        """The task's stored result."""
        if self.error:
            return {"error": self.error}
        return {
            "matches": self.matches,
            "hosts": self.hosts,
            "sightings": self.sightings,
            "records": self.records,
        }


def scan(log: LogUpload, versions: list[ListVersion] | None = None) -> ScanSummary:
    """Match one log upload; record sightings (and tasks); return the counts."""
    versions = versions if versions is not None else latest_versions()
    versions = [v for v in versions if not LogScan.objects.filter(log=log, version=v).exists()]
    LogUpload.objects.filter(pk=log.pk).update(status=LogUpload.Status.RUNNING, bytes_done=0)
    if not versions:
        _finish(log, LogUpload.Status.DONE, _("No new list version to match against."))
        return ScanSummary()
    path = log.file.path
    try:
        reader = READERS[log.format] if log.format in READERS else detect(path)
    except base.ReaderError as exc:
        _finish(log, LogUpload.Status.FAILED, str(exc))
        return ScanSummary(error=str(exc))
    indicators = indicator_set(versions)
    stats = base.ReadStats()
    contacts: dict[tuple, Contact] = {}
    last_report = [time.monotonic(), 0]

    def progress(delta: int) -> None:
        last_report[1] += delta
        if time.monotonic() - last_report[0] >= PROGRESS_SECONDS:
            last_report[0] = time.monotonic()
            LogUpload.objects.filter(pk=log.pk).update(
                bytes_done=last_report[1], records=stats.records
            )

    matches = 0
    try:
        for hits in pipeline.match_file(indicators, path, reader, stats=stats, progress=progress):
            # A record lies in one block: distinct per block is distinct overall.
            matches += pc.count_distinct(hits.column("record")).as_py()
            _fold(contacts, hits)
    except base.ReaderError as exc:
        _finish(log, LogUpload.Status.FAILED, str(exc))
        return ScanSummary(error=str(exc))
    made = _record(log, versions, contacts)
    hosts = len({k[0] for k in contacts})
    LogUpload.objects.filter(pk=log.pk).update(
        format=reader.NAME,
        bytes_done=log.size,
        records=stats.records,
        rejected_count=stats.rejected,
        rejected=[
            {"line": line, "reason": reason, "text": text}
            for _, line, reason, text in stats.rejects
        ],
        matches=F("matches") + matches,
        hosts=hosts,
    )
    _finish(log, LogUpload.Status.DONE, "")
    return ScanSummary(matches=matches, hosts=hosts, sightings=made, records=stats.records)


def _finish(log: LogUpload, status: str, message: str) -> None:
    LogUpload.objects.filter(pk=log.pk).update(
        status=status, message=without_server_paths(message), finished_at=timezone.now()
    )


def _record(log: LogUpload, versions: list[ListVersion], contacts: dict) -> int:
    subtree = Unit.objects.subtree(log.unit)
    book = attribution.address_book(subtree)
    internals = sorted({k[0] for k in contacts})
    owners = attribution.owners_of_addresses(book, internals)
    owner_of: dict[str, tuple[int, int | None]] = {}
    for row, unit_id, host_id in zip(
        owners.row.tolist(), owners.unit_id.tolist(), owners.host_id.tolist(), strict=True
    ):
        owner_of.setdefault(internals[row], (unit_id, host_id if host_id >= 0 else None))
    by_version: dict[int, list[Sighting]] = {v.pk: [] for v in versions}
    for (internal, remote, version_id), c in contacts.items():
        unit_id, host_id = owner_of.get(internal, (log.unit_id, None))
        by_version[int(version_id)].append(
            Sighting(
                unit_id=unit_id,
                host_id=host_id,
                version_id=int(version_id),
                via=Sighting.Via.LOG,
                log=log,
                ip=internal[:64],
                remote=(remote or "")[:300],
                family=c.family[:100],
                first_seen=_as_datetime(c.first) or log.created_at,
                last_seen=_as_datetime(c.last) or log.created_at,
                count=c.count,
                evidence=c.evidence,
            )
        )
    made = 0
    with transaction.atomic():
        for version in versions:
            found = by_version[version.pk]
            Sighting.objects.bulk_create(found, batch_size=2000, ignore_conflicts=True)
            LogScan.objects.get_or_create(
                log=log,
                version=version,
                defaults={"matches": sum(s.count for s in found), "hosts": len(found)},
            )
            made += len(found)
            if version.source.opens_tasks and found:
                outcome = cleanup.Outcome(version.pk)
                cleanup.apply_sightings(
                    version, [cleanup.Observation.of(s) for s in found], outcome
                )
                transaction.on_commit(functools.partial(cleanup.notify_units, outcome))
    return made


def retro_hunt(version: ListVersion) -> list[int]:
    """Log uploads inside the retention window that a new version should be run against."""
    since = timezone.now() - timedelta(days=retention_days())
    return list(
        LogUpload.objects.filter(created_at__gte=since, status=LogUpload.Status.DONE)
        .exclude(scans__version=version)
        .values_list("pk", flat=True)
    )
