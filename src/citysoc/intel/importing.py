"""Import one list version: read the file, keep every row as an indicator or a rejection,
then match the whole version against every unit's registered addresses in one pass.

`receive()` stores the file (the same file twice from one source is the same version);
`process()` does the work, in the task worker for uploads or inline for the CLI. All the
writes of one version happen in one transaction: a failure leaves the version "failed"
with its reason and nothing half-saved.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pyarrow as pa
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citysoc.core import audit, jobs
from citysoc.engine import IndicatorSet
from citysoc.intel import cleanup, formats
from citysoc.intel.models import Indicator, IndicatorSource, ListVersion, Sighting
from citysoc.inventory import attribution

logger = logging.getLogger(__name__)

HASH_KINDS = frozenset({"md5", "sha1", "sha256", "sha512"})
ADDRESS_KINDS = frozenset({"ipv4", "ipv6"})
NETWORK_KINDS = frozenset({"cidr", "range"})
BATCH = 5000
EVIDENCE_ROWS = 20
Progress = Callable[[str], None]


@dataclass
class ImportResult:
    """The one-line answer of `citysoc import-indicators --json` (keys are an interface)."""

    version: int
    rows: int
    indicators: int
    rejected: list[dict]
    sightings: int
    tasks_opened: int
    duplicate: bool = False
    skipped: int = 0
    tasks_reopened: int = 0
    tasks_verified: int = 0
    message: str = ""
    units: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return {
            "version": self.version,
            "rows": self.rows,
            "indicators": self.indicators,
            "rejected": self.rejected,
            "sightings": self.sightings,
            "tasks_opened": self.tasks_opened,
            "tasks_reopened": self.tasks_reopened,
            "tasks_verified": self.tasks_verified,
            "skipped": self.skipped,
            "duplicate": self.duplicate,
        }


def source_named(name: str, *, create: bool = True, format: str = "auto") -> IndicatorSource:
    """The source called `name`, created on first use (uploads name their source)."""
    name = name.strip()
    if not name:
        raise ValueError(_("Name the list's source (e.g. 'VNCERT botnet')."))
    if create:
        return IndicatorSource.objects.get_or_create(name=name, defaults={"format": format})[0]
    return IndicatorSource.objects.get(name=name)


def receive(
    source: IndicatorSource,
    data: bytes,
    filename: str,
    *,
    period: str = "",
    received_on: date | None = None,
    user=None,
    format: str = "",
) -> tuple[ListVersion, bool]:
    """Store a received file as a queued version; (existing version, False) if seen before."""
    digest = hashlib.sha256(data).hexdigest()
    existing = ListVersion.objects.filter(source=source, sha256=digest).first()
    if existing is not None:
        return existing, False
    version = ListVersion(
        source=source,
        period=period.strip(),
        received_on=received_on or timezone.localdate(),
        filename=filename[-255:],
        sha256=digest,
        format=format or source.format or "auto",
        uploaded_by=user if user is not None and user.is_authenticated else None,
    )
    try:
        with transaction.atomic():
            version.file.save(filename[-100:] or "list", ContentFile(data), save=False)
            version.save()
    except IntegrityError:
        # Two uploads of the same file raced: the other one won; answer with it.
        return ListVersion.objects.get(source=source, sha256=digest), False
    return version, True


def process(version: ListVersion, progress: Progress | None = None) -> ImportResult:
    """Parse, keep, match and open tasks for one received version (idempotent once done)."""
    if version.status == ListVersion.Status.DONE:
        return _result(version, duplicate=True)
    say = progress or (lambda _msg: None)
    ListVersion.objects.filter(pk=version.pk).update(status=ListVersion.Status.RUNNING)
    try:
        with version.file.open("rb") as handle:
            data = handle.read()
        say(_("reading the file"))
        mapping = version.source.column_mapping
        options = {"columns": mapping} if mapping else {}
        parsed = formats.parse(data, version.filename, version.format or "auto", options)
    except formats.NeedsMapping as exc:
        _fail(
            version,
            _(
                "No column of this file could be read as the IP address. Map the columns once "
                "for source '%(source)s' (headers found: %(headers)s), then import again."
            )
            % {"source": version.source.name, "headers": ", ".join(map(str, exc.headers))},
            meta={"headers": [str(h) for h in exc.headers], "guessed": exc.guessed},
        )
        raise
    except ValueError as exc:
        _fail(version, str(exc))
        raise
    except Exception as exc:
        # A reader's own surprise (a damaged file openpyxl chokes on, a library bug): the
        # version ends "failed" with the error's type, never "running" for ever.
        logger.exception("list version %s could not be read", version.pk)
        _fail(version, jobs.short_reason(exc))
        raise
    del data  # the file's bytes: the parsed rows hold what is needed
    say(_("checking %(n)d rows") % {"n": parsed.rows})
    accepted, rejected = _classify(parsed)
    # The parsed rows (a Python object per cell) are in `accepted` now: let them go before
    # storing and matching, which build their own Python objects (the peak of an import).
    read_format, read_rows, skipped, read_meta = (
        parsed.format,
        parsed.rows,
        parsed.skipped,
        parsed.meta,
    )
    del parsed
    try:
        with audit.acting_as(version.uploaded_by, via="task"), transaction.atomic():
            _store_indicators(version, accepted)
            say(_("matching against the units' addresses"))
            sightings = record_list_sightings(version, accepted)
            say(_("opening clean-up tasks"))
            outcome = cleanup.after_list_version(version) if version.source.opens_tasks else None
            version.format = read_format
            version.rows = read_rows
            version.indicator_count = accepted.num_rows
            version.rejected = rejected
            version.rejected_count = len(rejected)
            version.skipped = skipped
            version.meta = {**_jsonable(read_meta), **(version.meta or {})}
            version.sightings_count = sightings
            version.tasks_opened = outcome.opened if outcome else 0
            version.status = ListVersion.Status.DONE
            version.finished_at = timezone.now()
            version.message = ""
            version.save()
            source = version.source
            source.last_new_at = timezone.now()
            source.save(update_fields=["last_new_at"])
    except Exception as exc:
        logger.exception("list version %s failed while saving", version.pk)
        # The error's type only: its text may hold SQL or a server path.
        _fail(version, jobs.short_reason(exc))
        raise
    if outcome is not None:
        cleanup.notify_units(outcome)
    return _result(version, outcome=outcome)


def _fail(version: ListVersion, message: str, meta: dict | None = None) -> None:
    ListVersion.objects.filter(pk=version.pk).update(
        status=ListVersion.Status.FAILED,
        message=message,
        finished_at=timezone.now(),
        meta=meta or {},
    )
    version.refresh_from_db()


def _result(version: ListVersion, *, duplicate: bool = False, outcome=None) -> ImportResult:
    return ImportResult(
        version=version.pk,
        rows=version.rows,
        indicators=version.indicator_count,
        rejected=[{"row": r["row"], "reason": r["reason"]} for r in version.rejected],
        sightings=version.sightings_count,
        tasks_opened=0 if duplicate else version.tasks_opened,
        duplicate=duplicate,
        skipped=version.skipped,
        tasks_reopened=outcome.reopened if outcome else 0,
        tasks_verified=outcome.verified if outcome else 0,
    )


def _jsonable(meta: dict) -> dict:
    out = {}
    for key, value in (meta or {}).items():
        out[str(key)] = value if isinstance(value, str | int | float | bool | None) else str(value)
    return out


# ---- rows → indicators ---------------------------------------------------------------


def _classify(parsed) -> tuple[pa.Table, list[dict]]:
    """The engine classifies every value; a row it cannot read is rejected with its reason.

    Returns the accepted rows (engine columns + the list's metadata) and the rejected rows
    (the parser's and the engine's) as dicts ordered by row.
    """
    rejected = [{"row": r.row, "value": r.value, "reason": r.reason} for r in parsed.rejected]
    entries = [e for e in parsed.entries if e.kind not in HASH_KINDS]
    hashes = [e for e in parsed.entries if e.kind in HASH_KINDS]
    table = _entries_table(entries)
    indicators = IndicatorSet.from_arrow(table, source="list")
    for r in indicators.rejected:
        rejected.append({"row": r.line, "value": r.text[:200], "reason": r.reason})
    accepted = indicators.table.select(
        [c for c in indicators.table.column_names if c not in ("key",)]
    ).append_column("key", indicators.table.column("key"))
    if hashes:
        accepted = pa.concat_tables([accepted, _hash_table(hashes, accepted.schema)])
    rejected.sort(key=lambda r: r["row"])
    if parsed.rows != len(parsed.entries) + len(parsed.rejected):
        raise ValueError(f"the {parsed.format} reader lost rows: tell the developers")
    return accepted, rejected


_META_FIELDS: tuple[str, ...] = ("family", "c2", "c2_port", "port", "first_seen", "last_seen")
_META_FIELDS += ("asn", "isp", "country", "note")


def _entries_table(entries) -> pa.Table:
    # The engine consumes `line` (for its rejections); `row` stays with the accepted rows.
    cols: dict[str, list] = {"indicator": [], "line": [], "row": []}
    for name in _META_FIELDS:
        cols[name] = []
    for e in entries:
        cols["indicator"].append(e.value)
        cols["line"].append(e.row)
        cols["row"].append(e.row)
        for name in _META_FIELDS:
            cols[name].append(getattr(e, name))
    types = {
        "line": pa.int64(),
        "row": pa.int64(),
        "c2_port": pa.int64(),
        "port": pa.int64(),
        "first_seen": pa.timestamp("us", tz="UTC"),
        "last_seen": pa.timestamp("us", tz="UTC"),
    }
    return pa.table({k: pa.array(v, types.get(k, pa.string())) for k, v in cols.items()})


def _hash_table(entries, schema: pa.Schema) -> pa.Table:
    base = _entries_table(entries)
    data = {}
    for f in schema:
        if f.name in ("indicator", "key"):
            data[f.name] = pa.array([e.value.lower() for e in entries], pa.string())
        elif f.name == "kind":
            data[f.name] = pa.array([e.kind for e in entries], pa.string())
        elif f.name in base.column_names:
            data[f.name] = base.column(f.name).cast(f.type)
        else:
            data[f.name] = pa.nulls(len(entries), f.type)
    return pa.table(data, schema=schema)


_INDICATOR_COLUMNS = (
    "version_id",
    "row",
    "value",
    "kind",
    "family",
    "c2",
    "c2_port",
    "port",
    "is_c2",
    "first_seen",
    "last_seen",
    "asn",
    "isp",
    "country",
    "note",
)


def _text(values: list, width: int, lower: bool = False) -> list[str]:
    out = [(v if isinstance(v, str) else "")[:width] for v in values]
    return [v.lower() for v in out] if lower else out


def _store_indicators(version: ListVersion, accepted: pa.Table) -> None:
    """Insert every accepted row with one prepared statement per batch.

    A list is 100,000 rows and more: building a model instance per row costs more than the
    whole match, so the rows go from Arrow columns straight into `executemany`.
    """
    version.indicators.all().delete()  # a retried version starts clean
    if accepted.num_rows == 0:
        return
    table = connection.ops.quote_name(Indicator._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _INDICATOR_COLUMNS)
    marks = ", ".join(["%s"] * len(_INDICATOR_COLUMNS))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - names are ours
    with connection.cursor() as cursor:
        # One batch of Python values at a time: the whole list as Python objects (15
        # columns x 100,000 rows) was the largest memory of an import.
        for start in range(0, accepted.num_rows, BATCH):
            cursor.executemany(sql, _indicator_rows(version, accepted.slice(start, BATCH)))


def _indicator_rows(version: ListVersion, part: pa.Table) -> list[tuple]:
    n = part.num_rows
    col = {name: part.column(name).to_pylist() for name in part.column_names}
    values = [(k or i)[:300] for k, i in zip(col["key"], col["indicator"], strict=True)]
    c2 = _text(col["c2"], 300, lower=True)
    adapt = connection.ops.adapt_datetimefield_value
    return list(
        zip(
            [version.pk] * n,
            [r or 0 for r in col["row"]],
            values,
            col["kind"],
            _text(col["family"], 100, lower=True),
            c2,
            col["c2_port"],
            col["port"],
            [bool(c) and c in (v, i) for c, v, i in zip(c2, values, col["indicator"], strict=True)],
            [adapt(t) for t in col["first_seen"]],
            [adapt(t) for t in col["last_seen"]],
            _text(col["asn"], 40),
            _text(col["isp"], 120),
            _text(col["country"], 40),
            _text(col["note"], 300),
            strict=True,
        )
    )


# ---- matching against the address plan -------------------------------------------------


def record_list_sightings(version: ListVersion, accepted: pa.Table) -> int:
    """One sighting per (unit, listed address) found in the units' registered addresses."""
    book = attribution.address_book()
    kinds = accepted.column("kind").to_numpy(zero_copy_only=False)
    keys = accepted.column("key").to_pylist()
    addr_rows = np.flatnonzero(np.isin(kinds, list(ADDRESS_KINDS)))
    local = attribution.local_mask([keys[i] for i in addr_rows])
    version.meta = {**(version.meta or {}), "local_addresses": int(local.sum())}
    addr_rows = addr_rows[~local]
    net_rows = np.flatnonzero(np.isin(kinds, list(NETWORK_KINDS)))
    found: dict[tuple[int, str], dict] = {}
    owners = attribution.owners_of_addresses(book, [keys[i] for i in addr_rows])
    _collect(found, accepted, addr_rows[owners.row], owners, keys)
    owners = attribution.owners_of_networks(book, [keys[i] for i in net_rows])
    _collect(found, accepted, net_rows[owners.row], owners, keys)
    Sighting.objects.filter(version=version, via=Sighting.Via.LIST).delete()
    Sighting.objects.bulk_create(
        [Sighting(version=version, via=Sighting.Via.LIST, **fields) for fields in found.values()],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    return len(found)


def _collect(found: dict, accepted: pa.Table, rows: np.ndarray, owners, keys: list) -> None:
    if len(rows) == 0:
        return
    # Only the matched rows become Python values (a few thousand of a 100,000-row list).
    hit = accepted.take(pa.array(rows))
    lines = hit.column("row").to_pylist()
    family = hit.column("family").to_pylist()
    first = hit.column("first_seen").to_pylist()
    last = hit.column("last_seen").to_pylist()
    c2 = hit.column("c2").to_pylist()
    hit_keys = [keys[r] for r in rows.tolist()]
    for row, unit_id, host_id, attributed in zip(
        range(len(rows)),
        owners.unit_id.tolist(),
        owners.host_id.tolist(),
        owners.attributed.tolist(),
        strict=True,
    ):
        ip = hit_keys[row]
        seen = first[row] or last[row]
        item = found.get((unit_id, ip))
        if item is None:
            item = found[(unit_id, ip)] = {
                "unit_id": unit_id,
                "host_id": host_id if host_id >= 0 else None,
                "ip": ip[:64],
                "family": (family[row] or "").lower()[:100],
                "remote": (c2[row] or "")[:300] if isinstance(c2[row], str) else "",
                "attributed": attributed,
                "is_c2": isinstance(c2[row], str) and c2[row].lower() == ip,
                "first_seen": seen,
                "last_seen": last[row] or seen,
                "count": 0,
                "evidence": [],
            }
        item["count"] += 1
        if len(item["evidence"]) < EVIDENCE_ROWS:
            item["evidence"].append({"row": lines[row], "family": family[row] or ""})
        if seen and (item["first_seen"] is None or seen < item["first_seen"]):
            item["first_seen"] = seen
        end = last[row] or seen
        if end and (item["last_seen"] is None or end > item["last_seen"]):
            item["last_seen"] = end
        if not item["family"] and family[row]:
            item["family"] = family[row].lower()[:100]
