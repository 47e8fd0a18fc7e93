"""Per-area additions to the tenancy sweep (tests/test_tenancy_sweep.py).

One module per area, each with:
- `MODELS`: path segment → model key, as in the sweep's MODELS;
- `SHARED_MODELS`, `WHOLE_LISTS`, `NOT_UNIT_OBJECTS`, `QUERY_VARIANTS`: optional, same meaning;
- `POST_ONLY`: optional set of URL names that answer a GET with 405;
- `build(unit, officer, letter, third_octets) -> dict[str, int]`: the area's objects of one
  ward (model key → pk), made with the ward's markers (`MARK-<letter>`) in their text so a
  leak is found.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def areas() -> list[ModuleType]:
    return [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in pkgutil.iter_modules(__path__)
    ]
