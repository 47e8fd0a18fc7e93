"""The rows of a spreadsheet import as plain records: read, rejected, written."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from citysoc.inventory.import_kinds import Mapping


@dataclass(frozen=True)
class RowError:
    """One problem, placed where the user will find it in Excel."""

    sheet: str
    row: int
    column: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "reason": self.reason}


@dataclass
class Record:
    row: int
    values: dict[str, Any]
    fields: dict[str, Any] = field(default_factory=dict)  # model fields after resolution
    key: tuple = ()


@dataclass
class Checked:
    """The outcome of reading and validating a file; nothing has been written."""

    kind: str
    filename: str
    sheet: str
    header: list[Any]
    header_row: int
    mapping: Mapping
    records: list[Record] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    total_rows: int = 0
    user: Any = None  # who imports: hosts and ranges are judged as their claims (`claims`)

    @property
    def rejected_rows(self) -> set[int]:
        return {e.row for e in self.errors if e.row > self.header_row}

    @property
    def file_errors(self) -> list[RowError]:
        """Errors about the file as a whole (header): nothing can be imported."""
        return [e for e in self.errors if e.row <= self.header_row]

    @property
    def valid(self) -> list[Record]:
        bad = self.rejected_rows
        return [r for r in self.records if r.row not in bad]

    def header_of(self, key: str) -> str:
        for index, col in self.mapping.by_index.items():
            if col.key == key:
                return str(self.header[index])
        return key

    def fail(self, record: Record, key: str, reason: str) -> None:
        self.errors.append(RowError(self.sheet, record.row, self.header_of(key), str(reason)))


@dataclass(frozen=True)
class Result:
    created: int = 0
    updated: int = 0
    rejected: int = 0
    unchanged: int = 0
    created_units: int = 0  # address plans only
    pending: int = 0  # hosts/ranges left waiting for a city role's approval
