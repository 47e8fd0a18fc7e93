"""Framework libraries: read a library file (YAML or Excel), check it, load it into the database.

A library file holds one framework version (see `libraries/schema.json` and
docs/compliance-libraries.md). Loading is idempotent. When the content hash matches what is
stored, nothing is written. A higher `version` updates the library's requirements and
duties in place by URN. A requirement that the new version drops is deleted, unless an
assessment item points to it. Such a requirement is kept, no longer applies at any level,
and is named in the result. A file that fails a check is not loaded at all, and the
other files still load.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TextIO

import yaml
from django.conf import settings
from django.db import transaction

from citysoc.compliance import library_sheets, remap
from citysoc.compliance.library_shape import (
    LEVELS,
    LibraryInvalid,
    content_hash,
    normalise,
    plain_values,
    validate,
    with_sheet_row,
)
from citysoc.compliance.models import AssessmentItem, Duty, Library, Requirement
from citysoc.inventory.models import SecurityRegime
from citysoc.lib import yamldata

log = logging.getLogger(__name__)

SHIPPED_DIR = Path(__file__).parent / "libraries"
SUFFIXES = (".yaml", ".yml", ".xlsx")


@dataclass
class LoadResult:
    """What happened to one library file."""

    file: str
    status: str  # loaded | updated | unchanged | invalid
    urn: str = ""
    regime: str = ""
    version: int | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    requirements: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status != "invalid"

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "file": self.file,
            "urn": self.urn,
            "regime": self.regime,
            "version": self.version,
            "valid_from": self.valid_from,
            "valid_to": self.valid_to,
            "requirements": self.requirements,
            "status": self.status,
        }
        if self.errors:
            data["errors"] = self.errors
        if self.notes:
            data["notes"] = self.notes
        return data


# --- finding and reading files ------------------------------------------------------------


def library_dirs() -> list[Path]:
    """The shipped folder, then the office's own folders (setting CITYSOC_LIBRARY_DIRS)."""
    extra = getattr(settings, "CITYSOC_LIBRARY_DIRS", []) or []
    return [SHIPPED_DIR, *(Path(p) for p in extra)]


def library_files(folders: list[Path]) -> list[Path]:
    files: list[Path] = []
    for folder in folders:
        if folder.is_file():
            files.append(folder)
            continue
        if not folder.is_dir():
            log.warning("library folder %s does not exist; skipped", folder)
            continue
        files.extend(
            p
            for p in sorted(folder.iterdir())
            if p.suffix.lower() in SUFFIXES and not p.name.startswith((".", "~$"))
        )
    return files


def read_document(path: Path) -> dict:
    """The checked library dict from a .yaml or .xlsx file, or LibraryInvalid."""
    name = str(path)
    try:
        if path.suffix.lower() == ".xlsx":
            raw = library_sheets.read_workbook(path)
        else:
            raw = yamldata.load(path.read_text(encoding="utf-8"))
    except LibraryInvalid:
        raise
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "YAML"
        raise LibraryInvalid(name, [f"{where}: not valid YAML ({exc})"]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise LibraryInvalid(name, [f"cannot read the file: {exc}"]) from exc
    doc = plain_values(raw)
    problems = validate(doc)
    if problems:
        if path.suffix.lower() == ".xlsx":
            problems = [with_sheet_row(p) for p in problems]
        raise LibraryInvalid(name, problems)
    return normalise(doc)


def documents(folders: list[Path] | None = None) -> list[dict]:
    """Every valid library document in the folders (invalid files are skipped, logged)."""
    docs = []
    for path in library_files(folders or library_dirs()):
        try:
            docs.append(checked_document(path))
        except LibraryInvalid as exc:
            log.warning("%s", exc)
    return docs


def checked_document(path: Path) -> dict:
    """read_document(path), parsed and checked once per process for the same file content.

    Reading and checking a library costs about 0.15 s; pages and every load of the
    libraries ask again and again for files that seldom change. The key is the file's
    bytes, not its modification time (two writes within one clock tick keep the same
    time). The dict is shared between callers: read it, never change it.
    """
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return read_document(path)  # which says why the file cannot be read
    return _document_with_digest(str(path), digest)


@lru_cache(maxsize=64)
def _document_with_digest(path: str, _digest: str) -> dict:
    return read_document(Path(path))


# --- loading --------------------------------------------------------------------------------


def load_all(folder: str | Path | None = None, *, stdout: TextIO | None = None) -> list[LoadResult]:
    """Load every library file of `folder` (default: library_dirs()); one result per file."""
    folders = [Path(folder)] if folder else library_dirs()
    results: dict[Path, LoadResult] = {}
    docs: list[tuple[Path, dict]] = []
    for path in library_files(folders):
        try:
            docs.append((path, checked_document(path)))
        except LibraryInvalid as exc:
            results[path] = LoadResult(file=str(path), status="invalid", errors=exc.problems)
    # The highest version of a URN goes first, so an older copy elsewhere changes nothing.
    for path, doc in sorted(docs, key=lambda pd: (pd[1]["urn"], -pd[1]["version"])):
        results[path] = _load_checked(path, doc)
    _link_successors([doc for _, doc in docs])
    ordered = [results[p] for p in sorted(results)]
    if stdout is not None:
        for result in ordered:
            stdout.write(describe(result) + "\n")
    return ordered


def load_file(path: str | Path) -> LoadResult:
    """Load one library file; an invalid file gives status "invalid" and writes nothing."""
    path = Path(path)
    try:
        doc = checked_document(path)
    except LibraryInvalid as exc:
        return LoadResult(file=str(path), status="invalid", errors=exc.problems)
    result = _load_checked(path, doc)
    _link_successors([doc])
    return result


def load_document(doc: dict, *, source: str = "") -> LoadResult:
    """Check and load a library dict (from a sheet or a test), as load_file does."""
    doc = plain_values(doc)
    problems = validate(doc)
    if problems:
        return LoadResult(file=source, status="invalid", errors=problems, urn=doc.get("urn", ""))
    doc = normalise(doc)
    result = _load_checked(Path(source), doc)
    _link_successors([doc])
    return result


def _load_checked(path: Path, doc: dict) -> LoadResult:
    result = LoadResult(
        file=str(path),
        status="unchanged",
        urn=doc["urn"],
        regime=doc["regime"],
        version=doc["version"],
        valid_from=doc["valid_from"],
        valid_to=doc.get("valid_to"),
    )
    try:
        with transaction.atomic():
            library = _write(doc, path, result)
    except LibraryInvalid as exc:
        result.status, result.errors = "invalid", exc.problems
        return result
    result.requirements = counts_per_level(library)
    return result


def _write(doc: dict, path: Path, result: LoadResult) -> Library:
    regime = SecurityRegime.objects.filter(code=doc["regime"]).first()
    if regime is None:
        known = ", ".join(SecurityRegime.objects.values_list("code", flat=True))
        raise LibraryInvalid(str(path), [f"regime: no regime '{doc['regime']}' (known: {known})"])
    digest = content_hash(doc)
    library = Library.objects.filter(urn=doc["urn"]).first()
    if library is not None:
        if library.content_hash == digest:
            return library
        if doc["version"] < library.version:
            result.notes.append(
                f"version {library.version} is already loaded (from {library.source_file}); "
                f"this file's version {doc['version']} was not applied"
            )
            return library
        if doc["version"] == library.version:
            raise LibraryInvalid(
                str(path),
                [
                    f"version: the content differs from the loaded version {library.version} "
                    "but the version was not raised. Raise `version` to apply the change."
                ],
            )
    _check_urns_free(doc, library, path)
    result.status = "loaded" if library is None else "updated"
    library = library or Library(urn=doc["urn"])
    for key in ("ref_id", "name", "name_en", "description", "provider", "version", "edition"):
        setattr(library, key, doc[key])
    library.regime = regime
    library.valid_from = datetime.date.fromisoformat(doc["valid_from"])
    library.valid_to = datetime.date.fromisoformat(doc["valid_to"]) if doc.get("valid_to") else None
    library.level_criteria = doc.get("level_criteria", [])
    library.procedure = doc.get("procedure") or {}
    library.source_file = _display_path(path)
    library.content_hash = digest
    library.save()
    result.notes += _write_requirements(library, doc["requirements"])
    _write_duties(library, doc.get("duties", []))
    return library


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(SHIPPED_DIR.resolve().parent))
    except ValueError:
        return str(path)[-300:]


def _check_urns_free(doc: dict, library: Library | None, path: Path) -> None:
    """A requirement or duty URN may belong to one library only."""
    problems = []
    for key, model in (("requirements", Requirement), ("duties", Duty)):
        urns = [item["urn"] for item in doc.get(key, [])]
        clash = model.objects.filter(urn__in=urns).exclude(library=library)
        for urn, lib_urn in clash.values_list("urn", "library__urn"):
            i = urns.index(urn)
            problems.append(f"{key}[{i}].urn: '{urn}' already belongs to library {lib_urn}")
    if problems:
        raise LibraryInvalid(str(path), problems)


REQUIREMENT_FIELDS = (
    "ref_id", "kind", "title", "title_en", "description", "description_en", "typical_evidence",
    "source", "guidance", "guidance_en", "guidance_confirmed", "replaces", "unit_kinds",
)  # fmt: skip


# The other columns a requirement row takes from its item in the file.
SHAPED_FIELDS = ("assessable", "levels", "importance", "thresholds", "official")
# Every column a library file sets (a row already loaded gets all of them again).
WRITTEN_FIELDS = (*REQUIREMENT_FIELDS, *SHAPED_FIELDS, "parent", "depth", "order")


def _write_requirements(library: Library, items: list[dict]) -> list[str]:
    existing = {r.urn: r for r in library.requirements.all()}
    saved: dict[str, Requirement] = {}
    new_by_depth: dict[int, list[Requirement]] = {}
    kept: list[Requirement] = []
    for order, item in enumerate(items, start=1):
        req = existing.get(item["urn"]) or Requirement(library=library, urn=item["urn"])
        for key in (*REQUIREMENT_FIELDS, *SHAPED_FIELDS):
            setattr(req, key, item[key])
        req.parent = saved.get(item["parent"] or "")
        req.depth = req.parent.depth + 1 if req.parent else 1
        req.order = order
        if req.pk is None:
            new_by_depth.setdefault(req.depth, []).append(req)
        else:
            kept.append(req)
        saved[req.urn] = req
    # A few statements instead of one per row (a library has hundreds): new rows one depth
    # at a time, so that a group has its id before its children are written, then the rows
    # already there. Requirement has no signals and no save() of its own to skip.
    for depth in sorted(new_by_depth):
        Requirement.objects.bulk_create(new_by_depth[depth])
    Requirement.objects.bulk_update(kept, WRITTEN_FIELDS, batch_size=200)
    gone = [r for urn, r in existing.items() if urn not in saved]
    # Answers on rows this version replaces move to their successors first (remap.py), so
    # only the rows still holding an answer with no successor are kept.
    moved = remap.remap_library(library.pk).lines() if gone else []
    return moved + _retire(gone, order_from=len(items) + 1)


def _retire(gone: list[Requirement], *, order_from: int) -> list[str]:
    """Delete dropped requirements, except those assessments point to (and their groups)."""
    if not gone:
        return []
    used = set(
        AssessmentItem.objects.filter(requirement__in=gone).values_list("requirement_id", flat=True)
    )
    by_id = {r.pk: r for r in gone}
    keep: set[int] = set()
    for first in used:
        pk: int | None = first
        while pk is not None and pk in by_id and pk not in keep:
            keep.add(pk)
            pk = by_id[pk].parent_id
    notes = []
    for offset, req in enumerate(r for r in gone if r.pk in keep):
        # No "retired" field on the model: the row stays for its assessments, applies at
        # no level (so no new checklist includes it) and moves to the end of the library.
        req.levels, req.order = [], order_from + offset
        req.save(update_fields=["levels", "order"])
        notes.append(
            f"requirement {req.ref_id} ({req.urn}) is not in this version but assessments "
            "point to it: kept, no longer applies at any level"
        )
    Requirement.objects.filter(pk__in=[r.pk for r in gone if r.pk not in keep]).delete()
    return notes


DUTY_FIELDS = (
    "code", "title", "title_en", "levels", "every_months", "deadline", "remind_days_before",
    "clocks", "description", "official", "source",
)  # fmt: skip
DUTY_DATES = ("valid_from", "valid_to")


def _write_duties(library: Library, items: list[dict]) -> None:
    existing = {d.urn: d for d in library.duties.all()}
    for item in items:
        duty = existing.pop(item["urn"], None) or Duty(library=library, urn=item["urn"])
        for key in DUTY_FIELDS:
            setattr(duty, key, item[key])
        for key in DUTY_DATES:
            value = item.get(key)
            setattr(duty, key, datetime.date.fromisoformat(value) if value else None)
        duty.save()
    Duty.objects.filter(pk__in=[d.pk for d in existing.values()]).delete()


def _link_successors(docs: list[dict]) -> None:
    """Set superseded_by once both libraries are loaded (files load in any order)."""
    for doc in docs:
        target = doc.get("superseded_by")
        successor = Library.objects.filter(urn=target).first() if target else None
        Library.objects.filter(urn=doc["urn"]).exclude(superseded_by=successor).update(
            superseded_by=successor
        )


# --- reading what is loaded -----------------------------------------------------------------


def requirements_for(
    library: Library, level: int, *, assessable_only: bool = True, unit_kind: str | None = None
) -> list[Requirement]:
    """The requirements of `library` that apply at `level`, in library order.

    JSONField `contains` on a list does not work on SQLite, so the level is checked in
    Python, the same on SQLite and PostgreSQL. A library holds a few hundred rows at most.
    With `unit_kind`, a row that binds only other kinds of unit (e.g. network-service
    enterprises) is left out.
    """
    rows = library.requirements.order_by("order", "id")
    if assessable_only:
        rows = rows.filter(assessable=True)
    return [
        r
        for r in rows
        if level in (r.levels or [])
        and (unit_kind is None or not r.unit_kinds or unit_kind in r.unit_kinds)
    ]


def counts_per_level(library: Library) -> dict[str, int]:
    """Assessable requirements per level: {"1": n, …, "5": n}."""
    counts: Counter[int] = Counter()
    for levels in library.requirements.filter(assessable=True).values_list("levels", flat=True):
        counts.update(set(levels or []))
    return {str(level): counts[level] for level in LEVELS}


def describe(result: LoadResult) -> str:
    """One block of plain text per file, for the operator."""
    if not result.ok:
        lines = [f"INVALID {result.file} — not loaded; fix these and run again:"]
        lines += [f"  {problem}" for problem in result.errors]
        return "\n".join(lines)
    until = result.valid_to or "open-ended"
    per_level = ", ".join(f"L{k}: {v}" for k, v in result.requirements.items())
    lines = [
        f"{result.status:9} {result.urn} v{result.version} ({result.regime}, "
        f"{result.valid_from} → {until}) — requirements {per_level}"
    ]
    lines += [f"  note: {note}" for note in result.notes]
    return "\n".join(lines)
