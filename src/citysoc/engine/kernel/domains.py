"""Domain tables and lookups, compiled: the Bloom filter the prefilter tests names against,
and every label-level suffix of a name looked up in one pass (hash, binary search, compare),
so there is no Python per name or per level."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from citysoc.engine.kernel import native

BLOOM_BITS = 1 << 25  # two hashes over 2**25 bits (4 MiB), the same in kernel/c/scan.h


def string_buffers(values: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(bytes, int64 offsets, valid) of a string array, without copying the bytes."""
    values = values.cast(pa.large_string())
    n = len(values)
    _, off_buf, data_buf = values.buffers()
    offsets = np.frombuffer(off_buf, dtype=np.int64)[values.offset : values.offset + n + 1]
    data = np.frombuffer(data_buf, np.uint8) if data_buf is not None else np.zeros(1, np.uint8)
    if values.null_count:
        valid = np.asarray(values.is_valid().to_numpy(zero_copy_only=False), dtype=np.bool_)
    else:
        valid = np.ones(n, dtype=np.bool_)
    return data, np.ascontiguousarray(offsets), valid


def build_domain_bloom(keys: pa.Array) -> np.ndarray:
    """Bloom filter of the (lower-case, punycode) domain keys, hashed right to left."""
    bloom = np.zeros(BLOOM_BITS // 8, dtype=np.uint8)
    if len(keys) == 0 or not native.available():
        return bloom
    data, offsets, _ = string_buffers(keys)
    native.scan_module().bloom_fill(data, offsets, bloom)
    return bloom


def domain_hash_index(keys: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(sorted hashes, key position of each) of the listed domain keys: FNV-1a, 64-bit,
    hashed from the right as `domain_suffixes` hashes the names."""
    data, offsets, _ = string_buffers(keys)
    hashes = np.empty(len(keys), dtype=np.uint64)
    native.scan_module().suffix_hashes(data, offsets, hashes)
    order = np.argsort(hashes, kind="stable")
    return hashes[order], order.astype(np.int64)


def domain_suffixes(
    names: pa.Array, keys: pa.Array, hashes: np.ndarray, order: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows, key positions, labels stripped) of every listed suffix of each name: the
    name, then without its first label, and so on."""
    data, offsets, valid = string_buffers(names)
    kdata, koff, _ = string_buffers(keys)
    cap = max(len(names), 16)
    scan = native.scan_module()
    while True:
        rows = np.empty(cap, np.int64)
        found = np.empty(cap, np.int64)
        levels = np.empty(cap, np.int64)
        n = scan.domain_suffixes(
            data, offsets, valid, hashes, order, kdata, koff, rows, found, levels
        )
        if n >= 0:
            return rows[:n], found[:n], levels[:n]
        cap *= 4
