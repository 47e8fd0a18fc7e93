"""Loading the compiled module (`citysoc.engine._scan`), and what the kernels need of an
indicator set: the modules of this package import this one, never the package itself, so
imports run one way (`__init__` re-exports from its parts).
"""

from __future__ import annotations

import os
from types import ModuleType
from typing import Protocol

import numpy as np

from citysoc.engine.segments import RangeIndex


def _load() -> ModuleType | None:
    if os.environ.get("CITYSOC_ENGINE_NO_KERNEL"):
        return None
    try:
        from citysoc.engine import _scan
    except ImportError:  # pragma: no cover - an install without a C compiler
        return None
    return _scan


SCAN = _load()


def available() -> bool:
    """True when the compiled kernels are there (the prefilter and the fast column paths)."""
    return SCAN is not None


def scan_module() -> ModuleType:
    """The compiled module; callers check `available()` first."""
    if SCAN is None:
        raise RuntimeError("the compiled engine kernels are not available")
    return SCAN


V4Tables = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


class CompiledSet(Protocol):
    """What the kernels read of an `IndicatorSet` (declared here so that the kernels need
    not import the set's module, which imports them)."""

    v4: RangeIndex
    v4_bitmap: np.ndarray
    _kernel_v4: V4Tables | None

    @property
    def has_v6(self) -> bool: ...

    def domain_bloom(self) -> np.ndarray: ...
