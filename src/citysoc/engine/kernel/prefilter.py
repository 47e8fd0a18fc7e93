"""The line prefilter: which lines of a raw block *might* hit.

A line is kept when it has
- a dotted quad whose /24 is set in the set's 2 MiB bitmap (one bit per /24) and which an
  exact search of the elementary segments in its /16 finds covered;
- an IPv6-looking token (`::`, or eight colon-separated hex groups when the set has IPv6);
- with domain indicators, a name one of whose dot-suffixes is in the Bloom filter of the
  listed domains (two hashes over 2**25 bits), or a non-ASCII name (IDN);
- a wrong field count, unbalanced JSON, no address at all, or a value after one of the
  reader's `ADDRESS_KEYS` (`SRC=`) that is not a plain, unlisted IPv4 address: the reader
  rejects or reads such lines;
- and header lines (`#...`) and the first line of a file, which the readers need.
Every other non-blank line is counted as a record read and skipped. The kept lines go
through the reader and the exact match, so the prefilter can only cost speed, never change
an answer: it has no false negatives for any address or name the readers extract.

Delimited formats (CSV, Zeek TSV, W3C) take one fused pass that parses the address fields
in place; JSON lines visit only the values of the keys the readers use; other formats check
every token that reads as an address or a name.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from citysoc.engine.kernel import native
from citysoc.engine.kernel.columns import v4_tables

# JSON keys whose values the JSON readers extract: (name, 1 = address, 2 = domain).
JSON_KEYS = (
    ("src_ip", 1),
    ("dest_ip", 1),
    ("id.orig_h", 1),
    ("id.resp_h", 1),
    ("rrname", 2),
    ("hostname", 2),
    ("sni", 2),
    ("query", 2),
    ("host", 2),
    ("server_name", 2),
)


def _key_bytes(names: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    data = np.frombuffer(b"".join(names) or b"\0", dtype=np.uint8).copy()
    offsets = np.zeros(len(names) + 1, dtype=np.int64)
    np.cumsum([len(x) for x in names], out=offsets[1:])
    return data, offsets


JSON_KEY_DATA, JSON_KEY_OFFSETS = _key_bytes([k.encode() for k, _ in JSON_KEYS])
JSON_KEY_ROLES = np.array([r for _, r in JSON_KEYS], dtype=np.int64)
_KEY_TABLES: dict[tuple[str, ...], tuple[np.ndarray, np.ndarray]] = {}
NO_BLOOM = np.zeros(0, np.uint8)


def _key_table(keys: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """(bytes, offsets) of a reader's address keys, as the kernel takes them (cached)."""
    if keys not in _KEY_TABLES:
        _KEY_TABLES[keys] = _key_bytes([k.encode() for k in keys])
    return _KEY_TABLES[keys]


@dataclass(frozen=True)
class Shape:
    """What a well-formed line looks like. For delimited formats (n_sep >= 0) only the
    address fields f1/f2 and the domain field fd are looked at; -1 means none."""

    sep: int = 0  # separator byte, 0 for none
    n_sep: int = -1  # expected separators per line; -1 = not a delimited format
    json: bool = False
    address_keys: tuple[str, ...] = ()  # `SRC=`-style keys whose values are addresses
    f1: int = -1
    f2: int = -1
    fd: int = -1


Found = tuple[np.ndarray, np.ndarray, np.ndarray, int, int]


def _scan_range(  # noqa: PLR0913 - one part of a block and what to look for
    block: np.ndarray,
    start: int,
    stop: int,
    iset: native.CompiledSet,
    check_domains: bool,
    first_is_header: bool,
    shape: Shape,
) -> Found:
    """(starts, ends, line indexes) of the kept lines of block[start:stop], lines seen,
    records skipped."""
    scan = native.scan_module()
    bloom = iset.domain_bloom() if check_domains else NO_BLOOM
    tables = v4_tables(iset)
    starts, ends, lines = [], [], []
    line_base = 0
    skipped = 0
    pos = start
    while pos < stop:
        # Kept lines are few; if a part is denser than this, the kernel stops early and is
        # called again from where it stopped.
        cap = max((stop - pos) // 64, 1024)
        o_s = np.empty(cap, np.int64)
        o_e = np.empty(cap, np.int64)
        o_l = np.empty(cap, np.int64)
        header = first_is_header and pos == 0
        if shape.n_sep >= 0:
            n, pos, seen, skip = scan.prefilter_delimited(
                block, pos, stop, *tables, bloom, check_domains, header,
                shape.sep, shape.n_sep, shape.f1, shape.f2, shape.fd, o_s, o_e, o_l,
            )  # fmt: skip
        else:
            n, pos, seen, skip = scan.prefilter_lines(
                block, pos, stop, *tables, bloom, check_domains, iset.has_v6, header,
                shape.json, JSON_KEY_DATA, JSON_KEY_OFFSETS, JSON_KEY_ROLES,
                *_key_table(shape.address_keys), o_s, o_e, o_l,
            )  # fmt: skip
        starts.append(o_s[:n])
        ends.append(o_e[:n])
        lines.append(o_l[:n] + line_base)
        line_base += seen
        skipped += skip
    if not starts:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int64), 0, 0
    return np.concatenate(starts), np.concatenate(ends), np.concatenate(lines), line_base, skipped


def _newline_at_or_after(data: np.ndarray, pos: int) -> int:
    """Like bytes.find(b"\\n", pos) for a block that may be a memory-mapped view."""
    step = 1 << 16
    while pos < len(data):
        chunk = data[pos : pos + step]
        k = int(np.argmax(chunk == 10))
        if chunk[k] == 10:
            return pos + k
        pos += step
    return -1


_POOL: ThreadPoolExecutor | None = None


def prefilter(  # noqa: PLR0913 - a block and how to read it
    block: bytes | bytearray | memoryview,
    iset: native.CompiledSet,
    check_domains: bool,
    first_is_header: bool,
    shape: Shape | None = None,
    threads: int = 2,
) -> Found:
    """Candidate lines of a block: (starts, ends, line index, records skipped, lines).

    The block is split at a newline into `threads` parts scanned in parallel: the kernel
    releases the GIL, so two cores give nearly twice the rate.
    """
    global _POOL
    shape = shape or Shape()
    if check_domains:
        iset.domain_bloom()  # build once here, not in two threads at once
    v4_tables(iset)
    data = np.frombuffer(block, dtype=np.uint8)
    cuts = [0]
    for k in range(1, threads):
        cut = _newline_at_or_after(data, len(data) * k // threads)
        cuts.append(cut + 1 if cut >= 0 else len(data))
    cuts.append(len(data))
    parts = list(zip(cuts[:-1], cuts[1:], strict=True))
    if threads == 1 or len(data) < (1 << 20):
        results = [_scan_range(data, 0, len(data), iset, check_domains, first_is_header, shape)]
    else:
        if _POOL is None:
            _POOL = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="citysoc-kernel")
        futures = [
            _POOL.submit(
                _scan_range, data, a, b, iset, check_domains, first_is_header and a == 0, shape
            )
            for a, b in parts
        ]
        results = [f.result() for f in futures]
    starts, ends, lines = [], [], []
    base = 0
    skipped = 0
    for s, e, ln, seen, skip in results:
        starts.append(s)
        ends.append(e)
        lines.append(ln + base)
        base += seen
        skipped += skip
    return np.concatenate(starts), np.concatenate(ends), np.concatenate(lines), skipped, base
