"""Indicator list files and tables: which column holds the indicators, and plain lists.

A plain list (one indicator per line, `#`/`;` comments) is split and cleaned by Arrow in
whole-column passes: a 1.1M-line list never becomes 1.1M Python strings.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from citysoc.engine.entries import IndicatorError

META_COLUMNS = ("list_version", "family", "c2", "first_seen", "last_seen")
INDICATOR_ALIASES = (
    "indicator",
    "value",
    "ioc",
    "ip",
    "ip_address",
    "dst_ip",
    "address",
    "cidr",
    "network",
    "range",
    "domain",
    "host",
    "hostname",
    "url",
)
META_ALIASES = {
    "malware": "family",
    "malware_family": "family",
    "botnet": "family",
    "first_seen_utc": "first_seen",
    "firstseen": "first_seen",
    "last_online": "last_seen",
    "lastseen": "last_seen",
    "version": "list_version",
}


def normalize_columns(table: pa.Table) -> pa.Table:
    names = [c.strip().lower().replace(" ", "_") for c in table.column_names]
    names = [META_ALIASES.get(n, n) for n in names]
    if "indicator" not in names:
        for alias in INDICATOR_ALIASES:
            if alias in names:
                names[names.index(alias)] = "indicator"
                break
        else:
            if len(names) == 1:
                names = ["indicator"]
            else:
                raise IndicatorError(
                    "no indicator column: name one 'indicator' (or ip, domain, url, cidr, value)"
                )
    return table.rename_columns(names)


def read_indicator_file(path: str | Path) -> pa.Table:
    """Read a list file into a table with `indicator`, `line`, `source` and metadata.

    Plain lists have one indicator per line; `#` and `;` start comments (also after the
    value, as in Spamhaus DROP). A file whose first data line has commas and names a known
    indicator column (`indicator`, `ip`, `dst_ip`, `domain`, `url`, ...) is read as CSV, so
    that other columns become metadata.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise IndicatorError(f"cannot read indicator file {path}: {exc.strerror}") from exc
    if raw[:2] == b"\x1f\x8b":
        import gzip

        raw = gzip.decompress(raw)
    lines = _lines(raw)
    trimmed = pc.utf8_trim_whitespace(lines)
    keep = pc.and_not(
        pc.greater(pc.binary_length(trimmed), 0),
        pc.or_(pc.starts_with(trimmed, "#"), pc.starts_with(trimmed, ";")),
    )
    keep_np = np.asarray(pc.fill_null(keep, False).to_numpy(zero_copy_only=False), dtype=bool)
    numbers = np.flatnonzero(keep_np) + 1
    data = trimmed.filter(pa.array(keep_np))
    if len(data) and "," in data[0].as_py():
        table = _csv_list(data, numbers)
        if table is not None:
            return table.append_column("source", pa.repeat(str(path), table.num_rows))
    # A trailing "; comment" or "# comment" (Spamhaus DROP, FireHOL) is dropped; anything
    # else left on the line stays, so that "not an indicator" is rejected, not truncated.
    commented = pc.match_substring_regex(data, r"\s[;#]")
    if pc.any(commented).as_py():
        cut = pc.utf8_trim_whitespace(pc.replace_substring_regex(data, r"\s+[;#].*$", ""))
        data = pc.if_else(commented, cut, data)
    return pa.table(
        {
            "indicator": data,
            "line": pa.array(numbers, pa.int64()),
            "source": pa.repeat(str(path), len(data)),
        }
    )


def _lines(raw: bytes) -> pa.Array:
    """The file's lines (invalid UTF-8 replaced), split by Arrow on \\n (\\r is trimmed)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("utf-8", errors="replace")
    newline = "\n" if "\n" in text or "\r" not in text else "\r"  # old Mac lists: \r alone
    if text.endswith(newline):
        text = text[: -len(newline)]
    whole = pa.array([text], pa.large_string())
    lines = pc.list_flatten(pc.split_pattern(whole, newline))
    return lines.cast(pa.string()) if lines.nbytes < (1 << 31) - 1 else lines


def _csv_list(data: pa.Array, numbers: np.ndarray) -> pa.Table | None:
    """A list with a header line naming its indicator column, or None if it has none."""
    first = str(data[0].as_py())
    header = [h.strip().strip('"').lower() for h in next(csv.reader([first]))]
    normalized = [META_ALIASES.get(h, h) for h in header]
    if not any(h in INDICATOR_ALIASES for h in normalized):
        return None
    cols: dict[str, list[str | None]] = {h: [] for h in header}
    for row in csv.reader(data.slice(1).to_pylist()):
        row = (row + [""] * len(header))[: len(header)]
        for h, v in zip(header, row, strict=True):
            cols[h].append(v.strip() or None)
    table = pa.table({h: pa.array(v, pa.string()) for h, v in cols.items()})
    return table.append_column("line", pa.array(numbers[1:], pa.int64()))
