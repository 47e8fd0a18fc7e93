"""The figures an area shows beside a unit's answer to a directive item.

Apart from `area_progress` (which asks each area for them) so that an area's own progress
module can build one without importing the module that imports it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AreaProgress:
    label: str
    summary: str
    url: str = ""
    tracked: bool = True
