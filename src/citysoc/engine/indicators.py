"""IndicatorSet: a compiled, immutable lookup structure over one or more indicator lists.

What each entry is (and why a bad one is rejected) is `entries`; the IP lookup structure
is `segments` (elementary segments, CSR lists of covering indicators); domains are a sorted
key list with the same CSR list; list files are read by `listfiles`; the on-disk form is
`setfile`. The names other modules import from here are re-exported below.

The build is whole-array work (Arrow compute, NumPy sorts): no Python object per entry for
plain IPv4, IPv4 CIDRs and plain domains, with the compiled C parser when it is built.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from citysoc.engine import addr
from citysoc.engine.entries import (
    KIND_NAMES,
    IndicatorError,
    ParsedEntries,
    Rejection,
    _ip_interval,
    _looks_like_ip,
    classify,
    parse_entries,
)
from citysoc.engine.listfiles import (
    INDICATOR_ALIASES,
    META_ALIASES,
    META_COLUMNS,
    normalize_columns,
    read_indicator_file,
)
from citysoc.engine.segments import (
    V6_DTYPE,
    RangeIndex,
    build_segments,
    expand_csr,
    v4_bitmap,
    v6_key,
)
from citysoc.engine.setfile import FORMAT_VERSION, read_arrays, write_arrays

if TYPE_CHECKING:
    from citysoc.engine.kernel.native import V4Tables

__all__ = [
    "FORMAT_VERSION",
    "INDICATOR_ALIASES",
    "META_ALIASES",
    "META_COLUMNS",
    "V6_DTYPE",
    "IndicatorError",
    "IndicatorSet",
    "RangeIndex",
    "Rejection",
    "_ip_interval",
    "_looks_like_ip",
    "build_segments",
    "classify",
    "expand_csr",
    "load_indicator_files",
    "read_indicator_file",
    "v6_key",
]

_INDEX_FIELDS = ("bounds", "offsets", "ids", "starts", "ends", "owners")


class IndicatorSet:
    """Immutable compiled indicator set. Build with `from_arrow`, `from_files` or `load`.

    `table` holds one row per accepted indicator (`indicator`, `kind`, `key` and the
    metadata columns); an indicator id is its row number there. `rejected` lists every entry
    that was not accepted.
    """

    def __init__(
        self,
        table: pa.Table,
        rejected: Sequence[Rejection],
        v4: RangeIndex,
        v6: RangeIndex,
        domain_keys: pa.Array,
        domain_offsets: np.ndarray,
        domain_ids: np.ndarray,
        v4_bitmap: np.ndarray,
    ) -> None:
        self.table = table
        self.rejected = tuple(rejected)
        self.v4 = v4
        self.v6 = v6
        self.domain_keys = domain_keys
        self.domain_offsets = domain_offsets
        self.domain_ids = domain_ids
        self.v4_bitmap = v4_bitmap
        self._domain_bloom: np.ndarray | None = None
        self._max_labels: int | None = None
        # kernel.v4_tables (bitmap, bounds, covered, /16 index): built on first use or loaded
        self._kernel_v4: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None
        self._domain_index: dict[str, int] | None = None
        self._domain_hashes: tuple[np.ndarray, np.ndarray] | None = None
        self._domain_sorted: tuple[int, np.ndarray, np.ndarray] | None = None

    def __len__(self) -> int:
        return int(self.table.num_rows)

    def __repr__(self) -> str:
        return f"<IndicatorSet {len(self)} indicators, {len(self.rejected)} rejected>"

    @property
    def has_v6(self) -> bool:
        return len(self.v6.ids) > 0

    @property
    def has_domains(self) -> bool:
        return len(self.domain_keys) > 0

    @property
    def max_domain_labels(self) -> int:
        """Labels in the longest listed domain (computed once: it is asked per block)."""
        if self._max_labels is None:
            if not self.has_domains:
                self._max_labels = 0
            else:
                dots = pc.count_substring(self.domain_keys, ".")
                self._max_labels = int(pc.max(dots).as_py()) + 1
        return self._max_labels

    # ---- construction ----------------------------------------------------------------

    @classmethod
    def from_arrow(cls, table: pa.Table, source: str = "table") -> IndicatorSet:
        """Build from a table with an `indicator` column (or `value`, `ip`, `domain`, ...).

        Optional columns `list_version`, `family`, `c2`, `first_seen`, `last_seen` and any
        others are kept as metadata. A `line` column gives line numbers for rejections
        (else the row number + 1 is used) and a `source` column the file name.
        """
        table = normalize_columns(table)
        n = table.num_rows
        raw = addr.as_string_array(table.column("indicator"))
        lines = (
            np.asarray(table.column("line").to_numpy())
            if "line" in table.column_names
            else np.arange(1, n + 1, dtype=np.int64)
        )
        sources = table.column("source") if "source" in table.column_names else None
        parsed = parse_entries(raw, lines, sources, source)
        return cls._compile(table, parsed)

    @classmethod
    def _compile(cls, table: pa.Table, parsed: ParsedEntries) -> IndicatorSet:
        n = table.num_rows
        accepted = np.flatnonzero(parsed.kinds >= 0)
        everything = len(accepted) == n
        take = pa.array(accepted)

        def kept(column: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
            return column if everything else column.take(take)

        kind_names = pa.array(KIND_NAMES, pa.string())
        out: dict[str, pa.Array | pa.ChunkedArray] = {
            "indicator": kept(table.column("indicator")).cast(pa.string()),
            "kind": kind_names.take(
                pa.array(parsed.kinds if everything else parsed.kinds[accepted])
            ),
            "key": kept(parsed.key_column()),
        }
        for name in table.column_names:
            if name not in ("indicator", "line"):
                out[name] = kept(table.column(name))
        for name in META_COLUMNS:
            out.setdefault(
                name, pa.nulls(len(accepted), pa.bool_() if name == "c2" else pa.string())
            )
        result = pa.table(out)
        new_id = None  # row -> indicator id, needed only when some rows were rejected
        if not everything:
            new_id = np.full(n, -1, dtype=np.int32)
            new_id[accepted] = np.arange(len(accepted), dtype=np.int32)

        v4, bitmap, tables = _v4_index(parsed, new_id)
        by_row = np.argsort(parsed.v6_rows, kind="stable")  # ties listed in list order
        own6 = _owners(parsed.v6_rows[by_row], new_id)
        v6 = RangeIndex.build(parsed.v6_starts[by_row], parsed.v6_ends[by_row], own6)

        version = parsed.version if everything else parsed.version[accepted]
        dom_ids = np.flatnonzero(version == 0).astype(np.int32)
        dom_keys = (
            result.column("key").take(pa.array(dom_ids)).combine_chunks()
            if len(dom_ids)
            else pa.array([], pa.string())
        )
        dk, doff, dids = _domain_csr(dom_keys, dom_ids)
        iset = cls(result, parsed.rejected, v4, v6, dk, doff, dids, bitmap)
        iset._kernel_v4 = tables
        return iset

    @classmethod
    def from_files(cls, paths: Iterable[str | Path]) -> IndicatorSet:
        """Read each list file (plain or CSV, see `read_indicator_file`) and compile them."""
        tables = [read_indicator_file(p) for p in paths]
        if not tables:
            raise IndicatorError("no indicator file given")
        return cls.from_arrow(pa.concat_tables(tables, promote_options="permissive"), source="")

    # ---- lookups ---------------------------------------------------------------------

    def domain_bloom(self) -> np.ndarray:
        """Bloom filter over domain keys for the compiled prefilter (built on first use)."""
        if self._domain_bloom is None:
            from citysoc.engine import kernel

            self._domain_bloom = kernel.build_domain_bloom(self.domain_keys)
        return self._domain_bloom

    def domain_hashes(self) -> tuple[np.ndarray, np.ndarray]:
        """Sorted 64-bit hashes of the domain keys and each one's key position (compiled
        lookups, `kernel.domain_suffixes`); built on first use or loaded with the set."""
        if self._domain_hashes is None:
            from citysoc.engine import kernel

            self._domain_hashes = kernel.domain_hash_index(self.domain_keys)
        return self._domain_hashes

    def domain_index(self) -> dict[str, int]:
        """Domain key -> position in `domain_keys`, built once per set (kept for callers
        that look up one name; columns go through `domain_positions`)."""
        if self._domain_index is None:
            keys = self.domain_keys.to_pylist()
            self._domain_index = dict(zip(keys, range(len(keys)), strict=True))
        return self._domain_index

    def domain_positions(self, names: pa.Array) -> np.ndarray:
        """Position in `domain_keys` of each name (-1 when not listed or null), for a whole
        column at once: no Python object per name.

        Keys and names are padded with NUL to the longest key's length by Arrow, so their
        bytes are fixed-width NumPy strings, and one `searchsorted` over the sorted keys
        finds every name (a name longer than every key cannot be listed).
        """
        names = addr.as_string_array(names)
        out = np.full(len(names), -1, dtype=np.int64)
        if not self.has_domains or len(names) == 0:
            return out
        if self._domain_sorted is None:
            width = max(int(pc.max(pc.binary_length(self.domain_keys)).as_py()), 1)
            fixed = _fixed_width(self.domain_keys, width)
            order = np.argsort(fixed, kind="stable")
            self._domain_sorted = (width, fixed[order], order)
        width, keys, order = self._domain_sorted
        length = np.asarray(pc.fill_null(pc.binary_length(names), width + 1).to_numpy())
        rows = np.flatnonzero((length <= width) & (length > 0))
        if len(rows) == 0:
            return out
        wanted = _fixed_width(names.take(pa.array(rows)), width)
        pos = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
        found = keys[pos] == wanted
        out[rows[found]] = order[pos[found]]
        return out

    # ---- cache -----------------------------------------------------------------------

    def dumps(self) -> bytes:
        """The compiled set as bytes (for a Spark broadcast)."""
        out = io.BytesIO()
        np.savez(out, allow_pickle=False, **self._arrays())
        return out.getvalue()

    def _arrays(self) -> dict[str, np.ndarray]:
        sink = io.BytesIO()
        with pa.ipc.new_file(sink, self.table.schema) as writer:
            writer.write_table(self.table)
        rejected = json.dumps([r.__dict__ for r in self.rejected]).encode()
        key_bytes, key_offsets = _string_parts(self.domain_keys)
        arrays: dict[str, np.ndarray] = {
            "format": np.array([FORMAT_VERSION]),
            "table": np.frombuffer(sink.getvalue(), dtype=np.uint8),
            "rejected": np.frombuffer(rejected, dtype=np.uint8),
            "v4_bitmap": self.v4_bitmap,
            "domain_keys": key_bytes,
            "domain_key_offsets": key_offsets,
            "domain_offsets": self.domain_offsets,
            "domain_ids": self.domain_ids,
        }
        for fam, index in (("v4", self.v4), ("v6", self.v6)):
            for name in _INDEX_FIELDS:
                arrays[f"{fam}_{name}"] = getattr(index, name)
        # The compiled prefilter's own tables, so that a run loading the cache maps them
        # instead of rebuilding them (about 0.3 s of CPU and 90 MB of fresh memory).
        from citysoc.engine import kernel

        if kernel.available():
            _, _, covered, by16 = kernel.v4_tables(self)
            arrays["kernel_v4_covered"] = covered
            arrays["kernel_v4_by16"] = by16
            if self.has_domains:
                arrays["kernel_domain_bloom"] = self.domain_bloom()
                hashes, order = self.domain_hashes()
                arrays["kernel_domain_hashes"] = hashes
                arrays["kernel_domain_order"] = order
        return arrays

    @classmethod
    def loads(cls, data: bytes) -> IndicatorSet:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            return cls._from_arrays({name: npz[name] for name in npz.files})

    @classmethod
    def _from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> IndicatorSet:
        if int(arrays["format"][0]) != FORMAT_VERSION:
            raise IndicatorError("compiled set written by another engine version")
        table = pa.ipc.open_file(pa.py_buffer(arrays["table"])).read_all()
        rejected = [Rejection(**r) for r in json.loads(arrays["rejected"].tobytes())]
        v4 = RangeIndex(*(arrays[f"v4_{f}"] for f in _INDEX_FIELDS))
        v6 = RangeIndex(*(arrays[f"v6_{f}"] for f in _INDEX_FIELDS))
        keys = _string_array(arrays["domain_keys"], arrays["domain_key_offsets"])
        iset = cls(
            table,
            rejected,
            v4,
            v6,
            keys,
            arrays["domain_offsets"],
            arrays["domain_ids"],
            arrays["v4_bitmap"],
        )
        if "kernel_v4_by16" in arrays:
            iset._kernel_v4 = (
                iset.v4_bitmap,
                iset.v4.bounds,
                arrays["kernel_v4_covered"],
                arrays["kernel_v4_by16"],
            )
        if "kernel_domain_bloom" in arrays:
            iset._domain_bloom = arrays["kernel_domain_bloom"]
            iset._domain_hashes = (arrays["kernel_domain_hashes"], arrays["kernel_domain_order"])
        return iset

    def save(self, path: str | Path) -> None:
        """Write the compiled set to one file; `load` maps it back in milliseconds."""
        write_arrays(self._arrays(), path)

    @classmethod
    def load(cls, path: str | Path) -> IndicatorSet:
        """Read a set written by `save`: arrays are read-only views of the mapped file."""
        return cls._from_arrays(read_arrays(path))


def _owners(rows: np.ndarray, new_id: np.ndarray | None) -> np.ndarray:
    """Indicator ids (int32) of table rows (`new_id` None: every row was accepted)."""
    return rows.astype(np.int32, copy=False) if new_id is None else new_id[rows]


def _v4_index(
    parsed: ParsedEntries, new_id: np.ndarray | None
) -> tuple[RangeIndex, np.ndarray, V4Tables | None]:
    """(segments, /24 bitmap, the prefilter's tables or None) of the IPv4 entries: compiled
    passes with the kernels, whole-array NumPy work without (the same arrays). With the
    kernels `parsed.v4_lo` and `v4_hi` are used up: the IPv4 rows are compacted over them."""
    from citysoc.engine import kernel

    if not kernel.available():
        rows = np.flatnonzero(parsed.version == 4)
        starts, ends = parsed.v4_lo[rows], parsed.v4_hi[rows]
        owners = _owners(rows, new_id)
        return RangeIndex.build(starts, ends, owners), v4_bitmap(starts, ends), None
    rows, starts, ends = kernel.v4_rows(parsed.version, parsed.v4_lo, parsed.v4_hi, True)
    owners = _owners(rows, new_id)
    bounds, offsets, ids, covered, by16, bitmap = kernel.v4_index(starts, ends, owners)
    index = RangeIndex(bounds, offsets, ids, starts, ends, owners)
    return index, bitmap, (bitmap, bounds, covered, by16)


def _string_parts(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(UTF-8 bytes, int32 offsets from 0) of a string array without nulls, as saved."""
    values = values.cast(pa.string())
    n = len(values)
    if n == 0:
        return np.zeros(0, np.uint8), np.zeros(1, np.int32)
    _, off_buf, data_buf = values.buffers()
    offsets = np.frombuffer(off_buf, np.int32, count=n + 1, offset=values.offset * 4)
    data = np.frombuffer(data_buf, np.uint8) if data_buf is not None else np.zeros(0, np.uint8)
    return data[int(offsets[0]) : int(offsets[-1])], offsets - offsets[0]


def _string_array(data: np.ndarray, offsets: np.ndarray) -> pa.Array:
    """A string array over saved bytes and offsets, without a Python string per key."""
    return pa.StringArray.from_buffers(
        len(offsets) - 1, pa.py_buffer(np.ascontiguousarray(offsets)), pa.py_buffer(data)
    )


def _fixed_width(values: pa.Array, width: int) -> np.ndarray:
    """Strings of at most `width` bytes as a NumPy S<width> array (NUL-padded by Arrow)."""
    padded = pc.ascii_rpad(values.cast(pa.string()), width, "\0")
    _, off_buf, data_buf = padded.buffers()
    first = int(np.frombuffer(off_buf, np.int32, count=1, offset=padded.offset * 4)[0])
    return np.frombuffer(data_buf, dtype=f"S{width}", count=len(values), offset=first)


def _domain_csr(keys: pa.Array, ids: np.ndarray) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    if len(keys) == 0:
        return pa.array([], pa.string()), np.zeros(1, np.int64), np.empty(0, np.int32)
    uniq = pc.unique(keys)
    pos = np.asarray(pc.index_in(keys, value_set=uniq).to_numpy())
    order = np.argsort(pos, kind="stable")
    offsets = np.zeros(len(uniq) + 1, dtype=np.int64)
    np.cumsum(np.bincount(pos, minlength=len(uniq)), out=offsets[1:])
    return uniq, offsets, ids[order].astype(np.int32)


def load_indicator_files(
    paths: Sequence[str | Path], cache_dir: str | Path | None = None
) -> IndicatorSet:
    """`IndicatorSet.from_files`, with the compiled set cached by content hash in cache_dir."""
    if cache_dir is None:
        return IndicatorSet.from_files(paths)
    digest = hashlib.sha256(str(FORMAT_VERSION).encode())
    for p in paths:
        try:
            with Path(p).open("rb") as fh:  # in pieces: a big list is not held twice
                while piece := fh.read(1 << 20):
                    digest.update(piece)
        except OSError as exc:
            raise IndicatorError(f"cannot read indicator file {p}: {exc.strerror}") from exc
    cache = Path(cache_dir) / f"{digest.hexdigest()[:32]}.set"
    if cache.exists():
        try:
            return IndicatorSet.load(cache)
        except (OSError, ValueError, KeyError):
            cache.unlink(missing_ok=True)  # stale or torn cache: rebuild below
    iset = IndicatorSet.from_files(paths)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        iset.save(cache)
    except OSError:
        pass  # a read-only cache dir must not stop a match run
    return iset
