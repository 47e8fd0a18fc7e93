"""The CISA Known Exploited Vulnerabilities catalogue: read (JSON or CSV) and load.

`parse()` is plain Python: the catalogue's JSON (`{"vulnerabilities": [...]}`) or its CSV
export (header `cveID,vendorProject,...`). A row without a valid CVE id or with an
unreadable date is rejected with its row number; the rest is kept. `load()` replaces the
city's copy in one transaction and re-enriches the active findings.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass

from django.db import transaction

CVE = re.compile(r"^CVE-\d{4}-\d{4,}$")
MAX_BYTES = 50 * 1024 * 1024  # the whole catalogue is about 1.3 MB


class FeedError(ValueError):
    """The file cannot be read as this feed; the message says why and where."""


@dataclass(frozen=True, slots=True)
class KevEntry:
    cve: str
    vendor: str = ""
    product: str = ""
    name: str = ""
    date_added: dt.date | None = None
    due_date: dt.date | None = None
    ransomware: bool = False
    required_action: str = ""


@dataclass(frozen=True)
class Catalogue:
    version: str
    entries: tuple[KevEntry, ...]
    rejected: tuple[str, ...] = ()  # "row 12: ..." per rejected record


def parse(data: bytes) -> Catalogue:
    if len(data) > MAX_BYTES:
        raise FeedError(f"the KEV file is larger than {MAX_BYTES // 2**20} MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FeedError(f"the KEV file is not UTF-8 text (byte {exc.start})") from exc
    if text.lstrip().startswith("{"):
        return _from_json(text)
    return _from_csv(text)


def _from_json(text: str) -> Catalogue:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FeedError(f"KEV JSON unreadable at line {exc.lineno}, column {exc.colno}") from exc
    rows = doc.get("vulnerabilities") if isinstance(doc, dict) else None
    if not isinstance(rows, list):
        raise FeedError("not a KEV catalogue: no 'vulnerabilities' list")
    entries, rejected = _entries(rows, first=1, label="entry")
    return Catalogue(str(doc.get("catalogVersion", "")), entries, rejected)


def _from_csv(text: str) -> Catalogue:
    reader = csv.DictReader(io.StringIO(text))
    if "cveID" not in (reader.fieldnames or []):
        raise FeedError("not a KEV catalogue: the CSV has no 'cveID' column")
    entries, rejected = _entries(list(reader), first=2, label="line")
    return Catalogue("", entries, rejected)


def _entries(rows: list, *, first: int, label: str) -> tuple[tuple[KevEntry, ...], tuple]:
    entries: dict[str, KevEntry] = {}
    rejected: list[str] = []
    for n, row in enumerate(rows, start=first):
        try:
            entry = _entry(row)
        except ValueError as exc:
            rejected.append(f"{label} {n}: {exc}")
            continue
        entries[entry.cve] = entry
    return tuple(entries.values()), tuple(rejected)


def _entry(row: object) -> KevEntry:
    if not isinstance(row, dict):
        raise ValueError("not an object")
    cve = str(row.get("cveID") or "").strip().upper()
    if not CVE.match(cve):
        raise ValueError(f"cveID {cve!r} is not a CVE identifier")
    return KevEntry(
        cve=cve,
        vendor=str(row.get("vendorProject") or "").strip()[:200],
        product=str(row.get("product") or "").strip()[:200],
        name=str(row.get("vulnerabilityName") or "").strip()[:300],
        date_added=_date(row.get("dateAdded"), "dateAdded"),
        due_date=_date(row.get("dueDate"), "dueDate"),
        ransomware=str(row.get("knownRansomwareCampaignUse") or "").strip().lower() == "known",
        required_action=str(row.get("requiredAction") or "").strip(),
    )


def _date(value: object, field: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ValueError(f"{field} {value!r} is not a date (YYYY-MM-DD)") from None


@dataclass(frozen=True)
class LoadResult:
    kind: str
    version: str
    kept: int
    rejected: tuple[str, ...]
    findings_checked: int

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "version": self.version,
            "kept": self.kept,
            "rejected": len(self.rejected),
            "findings_checked": self.findings_checked,
        }


def load(data: bytes) -> LoadResult:
    """Replace the city's KEV copy with this file and re-enrich the active findings."""
    from citysoc.vulns import priority
    from citysoc.vulns.models import KnownExploited

    catalogue = parse(data)
    if not catalogue.entries:
        raise FeedError("the KEV file lists no vulnerability; the current copy is kept")
    with transaction.atomic():
        KnownExploited.objects.all().delete()
        KnownExploited.objects.bulk_create(
            [KnownExploited(**_fields(e)) for e in catalogue.entries], batch_size=1000
        )
        checked = priority.refresh_all()
    return LoadResult("kev", catalogue.version, len(catalogue.entries), catalogue.rejected, checked)


def _fields(e: KevEntry) -> dict:
    return {
        "cve": e.cve,
        "vendor": e.vendor,
        "product": e.product,
        "name": e.name,
        "date_added": e.date_added,
        "due_date": e.due_date,
        "ransomware": e.ransomware,
        "required_action": e.required_action,
    }
