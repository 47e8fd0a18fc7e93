"""The compiled indicator set on disk: one file, memory-mapped back in milliseconds.

Layout: magic, header length, a JSON header (name -> dtype, shape, offset), then each
array's raw bytes at a 64-byte aligned offset, so `read_arrays` can memory-map the file and
view every array in place instead of unzipping and copying ~150 MB. `load_indicator_files`
keeps one such file per list content (by hash) in a cache folder.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pyarrow as pa

from citysoc.engine.entries import IndicatorError

# 3: the prefilter tables (v4 /16 index, domain Bloom filter) are saved; 4: domain keys as
# UTF-8 bytes + offsets (viewed in place) instead of JSON (a Python string per key)
FORMAT_VERSION = 4
MAGIC = b"CITYSOC-ENGINE-SET\n"


def _aligned(size: int) -> int:
    return -(-size // 64) * 64


def write_arrays(arrays: Mapping[str, np.ndarray], path: str | Path) -> None:
    header: dict[str, list[object]] = {}
    offset = 0
    for name, array in arrays.items():
        header[name] = [array.dtype.str, list(array.shape), offset]
        offset += _aligned(array.nbytes)
    head = json.dumps(header).encode()
    start = _aligned(len(MAGIC) + 8 + len(head))
    tmp = Path(f"{path}.tmp")
    with tmp.open("wb") as fh:
        fh.write(MAGIC + len(head).to_bytes(8, "little") + head)
        for name, array in arrays.items():
            fh.seek(start + int(str(header[name][2])))
            fh.write(np.ascontiguousarray(array).data)
        fh.truncate(start + offset)
    tmp.replace(path)  # atomic: a reader never sees a half-written cache


def read_arrays(path: str | Path) -> dict[str, np.ndarray]:
    """The arrays of a file written by `write_arrays`: read-only views of the mapped file."""
    buf = pa.memory_map(str(path), "r").read_buffer()
    if buf.size < len(MAGIC) + 8 or buf[: len(MAGIC)].to_pybytes() != MAGIC:
        raise IndicatorError(f"{path} is not a compiled indicator set")
    size = int.from_bytes(buf[len(MAGIC) : len(MAGIC) + 8].to_pybytes(), "little")
    head = json.loads(buf[len(MAGIC) + 8 : len(MAGIC) + 8 + size].to_pybytes())
    start = _aligned(len(MAGIC) + 8 + size)
    arrays = {}
    for name, (dtype, shape, offset) in head.items():
        count = int(np.prod(shape)) if shape else 1
        array = np.frombuffer(buf, dtype=np.dtype(dtype), count=count, offset=start + offset)
        arrays[name] = array.reshape(shape)
    return arrays
