"""How much of each loaded library rests on an official text: counts for the city view and
the rows of a library's page (every row with its source, official state and validity)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from citysoc.compliance.models import Library


@dataclass(frozen=True)
class SourceCount:
    """Per library: rows in use, how many are official, how many still unconfirmed."""

    library: Library
    rows: int  # assessable requirements in use, duties and level criteria
    official: int
    guidance_unconfirmed: int  # official rows whose explanatory guidance is not checked

    @property
    def unconfirmed(self) -> int:
        return self.rows - self.official


def source_count(library: Library) -> SourceCount:
    requirements = list(
        library.requirements.filter(assessable=True).values_list(
            "official", "levels", "guidance", "guidance_confirmed"
        )
    )
    in_use = [r for r in requirements if r[1]]  # a retired row applies at no level
    duties = list(library.duties.values_list("official", flat=True))
    criteria = [bool(c.get("official", True)) for c in library.level_criteria or []]
    flags = [r[0] for r in in_use] + duties + criteria
    return SourceCount(
        library=library,
        rows=len(flags),
        official=sum(flags),
        guidance_unconfirmed=sum(1 for r in in_use if r[2] and not r[3]),
    )


def source_counts(on: datetime.date | None = None) -> list[SourceCount]:
    """Every loaded library (those in force on `on` first), newest first."""
    libraries = list(Library.objects.select_related("regime").order_by("-valid_from", "ref_id"))
    if on is not None:
        libraries.sort(key=lambda lib: not lib.in_force_on(on))
    return [source_count(lib) for lib in libraries]


def validity(library: Library, valid_from=None, valid_to=None) -> tuple:
    """A row's validity: its own dates inside the library's, else the library's."""
    start = max(d for d in (library.valid_from, valid_from) if d is not None)
    ends = [d for d in (library.valid_to, valid_to) if d is not None]
    return start, (min(ends) if ends else None)
