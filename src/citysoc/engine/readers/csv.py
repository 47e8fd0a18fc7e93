"""Generic CSV firewall export with a column mapping (`--columns src=…,dst=…,time=…`).

The first line is the header. Without a mapping, common header names are recognised
(`src`, `src_ip`, `source_ip`, `dst`, `dest_ip`, `destination_ip`, `time`, `timestamp`,
`domain`, `query`, `host`...). A mapping value may be a header name or a 1-based column
number. Quoted fields are handled by Arrow's CSV parser; a row with the wrong number of
fields is rejected. Newlines inside quoted fields are not supported (firewall exports have
none).
"""

from __future__ import annotations

import csv as _csv
import sys
from collections.abc import Iterator, Mapping

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from citysoc.engine.readers import base

NAME = "csv"
LABEL = "CSV firewall export (column mapping)"
HAS_DOMAINS = True
HEADER_FIRST = True
JSON_LINES = False
ADDRESS_KEYS: tuple[str, ...] = ()
PLAIN_ROWS = True
FIELD_SEP = ","
GUESSES = {
    "src": (
        "src",
        "src_ip",
        "srcip",
        "source",
        "source_ip",
        "source_address",
        "sip",
        "client_ip",
        "id.orig_h",
        "src_addr",
    ),
    "dst": (
        "dst",
        "dst_ip",
        "dstip",
        "dest",
        "dest_ip",
        "destination",
        "destination_ip",
        "destination_address",
        "dip",
        "server_ip",
        "id.resp_h",
        "dst_addr",
    ),
    "time": (
        "time",
        "timestamp",
        "ts",
        "date",
        "datetime",
        "@timestamp",
        "event_time",
        "receive_time",
        "start_time",
    ),
    "domain": ("domain", "query", "qname", "host", "hostname", "sni", "server_name"),
}


# Every field is unquoted (not starting with a quote) or quoted and closed on the line.
_FIELD = r'(?:"(?:[^"]|"")*"(?:[^",][^,]*)?|[^",][^,]*|)'
WELL_QUOTED = rf"^{_FIELD}(?:,{_FIELD})*$"


def sniff(head: list[str]) -> bool:
    if not head or "," not in head[0]:
        return False
    header = [h.strip().strip('"').lower() for h in head[0].split(",")]
    return any(h in GUESSES["src"] + GUESSES["dst"] for h in header)


def is_header(lines: pa.Array, state: base.ReaderState) -> np.ndarray:
    """The first non-blank line is the header; later copies of it are headers too, so
    that reading the head twice (prefilter, then reader) is harmless."""
    if state.header_text is None and len(lines):
        nonblank = pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(lines)), 0)
        first = int(np.argmax(nonblank.to_numpy(zero_copy_only=False)))
        state.header_text = lines[first].as_py()
        _learn_header(state.header_text, state)
    mask = pc.equal(lines, state.header_text if state.header_text is not None else "\x00")
    return np.asarray(pc.fill_null(mask, False).to_numpy(zero_copy_only=False), dtype=bool)


def _learn_header(line: str, state: base.ReaderState) -> None:
    names = [h.strip().strip('"') for h in next(_csv.reader([line]))]
    lower = [n.lower() for n in names]
    columns = state.options.get("columns") or {}
    if not isinstance(columns, Mapping):
        raise base.ReaderError("the CSV 'columns' option must map roles to header names")
    mapping = dict(columns)
    positions: dict[str, int] = {}
    for role, wanted in mapping.items():
        if str(wanted).isdigit():
            positions[role] = int(wanted) - 1
        elif str(wanted).lower() in lower:
            positions[role] = lower.index(str(wanted).lower())
        else:
            raise base.ReaderError(
                f"column '{wanted}' (for {role}) is not in the CSV header: {', '.join(names)}"
            )
    for role, guesses in GUESSES.items():
        if role not in positions:
            for g in guesses:
                if g in lower:
                    positions[role] = lower.index(g)
                    break
    if "src" not in positions and "dst" not in positions:
        raise base.ReaderError(
            "cannot tell which CSV columns hold addresses; header is: "
            f"{', '.join(names)}. Pass --columns src=NAME,dst=NAME[,time=NAME]"
        )
    state.header_fields = names
    state.n_fields = len(names)
    state.address_fields = [positions[r] for r in ("src", "dst") if r in positions]
    state.domain_field = positions.get("domain", -1)
    state.positions = positions


def parse_lines(lines: pa.Array, state: base.ReaderState) -> pa.Table:
    names = [f"c{i}" for i in range(state.n_fields or 0)]
    positions = state.positions or {}
    n = len(lines)
    # A quoted field left open would swallow the next line(s) in Arrow's parser, so the
    # answer would depend on which lines share a block: reject such lines up front.
    text = _text_bytes(lines)
    # Arrow's parser also ends a row at a bare CR: such blocks take the path below.
    if not (text == 34).any() and not (text == 13).any():
        from citysoc.engine import kernel  # the compiled kernels are optional

        if kernel.available():
            return _parse_unquoted(lines, state)
    unterminated = addr_bool(pc.match_substring(lines, '"'))
    if unterminated.any():
        unterminated &= ~addr_bool(pc.match_substring_regex(lines, WELL_QUOTED))
    # Arrow's parser ends a row at a bare CR too, which would shift every later row of the
    # block onto the wrong line: such a line is rejected up front as well.
    bare_cr = addr_bool(pc.match_substring(lines, "\r"))
    rest = np.flatnonzero(~unterminated & ~bare_cr)
    subset = lines if len(rest) == n else lines.take(pa.array(rest, pa.int64()))
    table, good_rest = _read_rows(subset, names)
    good = np.zeros(n, dtype=bool)
    good[rest] = good_rest
    if table.num_rows != int(good.sum()):
        raise base.ReaderError(
            "a quoted CSV field spans several lines, which this reader does not support;"
            " export the log without newlines inside fields"
        )
    cols = {}
    for role in ("time", "src", "dst", "domain"):
        values = pa.nulls(n, pa.string())
        if role in positions:
            got = table.column(names[positions[role]]).combine_chunks()
            # Re-align to the input lines (rejected rows were skipped by the parser).
            values = _scatter(got, good, n)
            values = pc.if_else(
                pc.equal(pc.utf8_trim_whitespace(values), ""), base.NULL_STR, values
            )
        cols[role] = values
    reason = base.reason_if(pa.array(unterminated), "a quoted field is not closed on its line")
    reason = base.reason_if(
        pa.array(bare_cr),
        "a carriage return (CR) inside the line; rows must end at a newline",
        reason,
    )
    reason = base.reason_if(pa.array(~good), "wrong number of fields for the CSV header", reason)
    reason = pc.coalesce(reason, base.no_address_reason(cols["src"], cols["dst"]))
    return base.result(cols["time"], cols["src"], cols["dst"], cols["domain"], reason)


# Plain lines (see `kernel.plain_rows`) skip `parse_lines`: their fields are taken from the
# block and finished by `field_values`. Only an empty address field is unset in a CSV.
PLAIN_UNSET_DASH = False


def field_values(values: pa.Array) -> pa.Array:
    """A field of a plain line as `parse_lines` gives it: blank is no value."""
    blank = pc.equal(pc.utf8_trim_whitespace(values), "")
    return pc.if_else(blank, base.NULL_STR, values)


def _text_bytes(lines: pa.Array) -> np.ndarray:
    """The bytes of all the lines (one view, no copy), to test for a byte in one pass."""
    if len(lines) == 0:
        return np.zeros(0, np.uint8)
    _, off_buf, data_buf = lines.buffers()
    width = np.int64 if pa.types.is_large_string(lines.type) else np.int32
    offsets = np.frombuffer(off_buf, dtype=width)
    first, last = int(offsets[lines.offset]), int(offsets[lines.offset + len(lines)])
    if data_buf is None or last == first:
        return np.zeros(0, np.uint8)
    return np.frombuffer(data_buf, dtype=np.uint8)[first:last]


def _parse_unquoted(lines: pa.Array, state: base.ReaderState) -> pa.Table:
    """Without any quote in the block, a CSV row is a plain split at commas: the compiled
    splitter takes only the fields the roles need (Arrow's parser converts them all)."""
    from citysoc.engine.kernel import split_fields  # only called when the kernels are there

    positions = state.positions or {}
    roles = [r for r in ("time", "src", "dst", "domain") if r in positions]
    good, starts, ends, data = split_fields(
        lines, ",", state.n_fields or 0, [positions[r] for r in roles]
    )
    n = len(lines)
    mask = pa.array(good)
    cols = {role: pa.nulls(n, pa.string()) for role in ("time", "src", "dst", "domain")}
    for role, a, b in zip(roles, starts, ends, strict=True):
        values = base.gather_lines(data, a, b)
        blank = pc.equal(pc.utf8_trim_whitespace(values), "")
        cols[role] = pc.if_else(pc.and_(mask, pc.invert(blank)), values, base.NULL_STR)
    reason = base.reason_if(pc.invert(mask), "wrong number of fields for the CSV header")
    reason = pc.coalesce(reason, base.no_address_reason(cols["src"], cols["dst"]))
    return base.result(cols["time"], cols["src"], cols["dst"], cols["domain"], reason)


def _read_rows(lines: pa.Array, names: list[str]) -> tuple[pa.Table, np.ndarray]:
    """Arrow's CSV parser over the lines; (table, mask of lines it kept as rows)."""
    n = len(lines)
    if n == 0:
        return pa.table({c: pa.array([], pa.string()) for c in names}), np.zeros(0, bool)
    bad_rows: list[int] = []

    def on_invalid(row: pcsv.InvalidRow) -> str:
        bad_rows.append(row.number - 1)
        return "skip"

    joined = pc.binary_join(pa.ListArray.from_arrays([0, n], lines), "\n")[0].as_buffer()
    table = pcsv.read_csv(
        pa.BufferReader(joined),
        read_options=pcsv.ReadOptions(column_names=names, use_threads=False),
        parse_options=pcsv.ParseOptions(invalid_row_handler=on_invalid),
        convert_options=pcsv.ConvertOptions(
            column_types={c: pa.string() for c in names}, strings_can_be_null=False
        ),
    )
    good = np.ones(n, dtype=bool)
    good[[r for r in bad_rows if 0 <= r < n]] = False
    return table, good


def addr_bool(mask: pa.Array) -> np.ndarray:
    return np.asarray(pc.fill_null(mask, False).to_numpy(zero_copy_only=False), dtype=bool)


def _scatter(values: pa.Array, good: np.ndarray, n: int) -> pa.Array:
    if good.all():
        return values
    idx = np.full(n, -1, dtype=np.int64)
    idx[good] = np.arange(int(good.sum()))
    take = pa.array(idx, mask=~good)
    return values.take(take)


def read(path: str, **options: object) -> Iterator[pa.Table]:
    """Stream record tables from a file; see `base.read_records`."""
    return base.read_records(path, sys.modules[__name__], options)
