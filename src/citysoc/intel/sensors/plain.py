"""A plain CSV of the indicators, with formulas defused for spreadsheets."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

from citysoc.intel.sensors.common import (
    IP_KINDS,
    ExportResult,
    SensorIndicator,
    checked,
    export_entries,
    networks,
    one_line,
)
from citysoc.lib.formulas import defuse_formula

CSV_HEADER = ["indicator", "kind", "family", "source", "version", "c2"]


def plain_csv(items: Iterable[SensorIndicator], out: TextIO) -> ExportResult:
    """CSV with header `indicator,kind,family,source,version,c2` (RFC 4180, CRLF, UTF-8).

    For scripts and sensors that take a plain list; `c2` is "true" or "false". No BOM, so
    a program reading the header sees "indicator". Text fields that Excel would run as a
    formula get a leading apostrophe (as in the inventory exports).
    """
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    return export_entries(items, writer.writerow, _csv_entries)


def _csv_entries(item: SensorIndicator) -> list[tuple[str, list[str]]]:
    value = checked(item)
    if item.kind in IP_KINDS:
        networks(item)  # written as given, but only if it parses
    row = [value, item.kind, item.family, item.source, item.version, "true" if item.c2 else "false"]
    # A family name from a public feed is untrusted text; in Excel "=..." would run.
    cells = [defuse_formula(one_line(cell)) for cell in row]
    return [("\t".join(cells), cells)]
