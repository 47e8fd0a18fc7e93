"""The cyclic collector's settings in the test processes: the xdist workers, a serial run,
and the subprocess that builds the run's test database (template_db).

A test process keeps what it imported and collected (about 220,000 objects) until it exits,
and makes short-lived objects fast (one test-client request: thousands, many in cycles).
With Python's defaults the collector walks that whole heap in each full collection, about
fifty times per worker: measured on a serial run of the compliance, inventory, alerts and
tenancy-sweep tests, 20 s of 145 s in the collector. Here what exists is frozen (never
walked again), young objects are collected a little less often, and full collections wait
for a thousand middle ones: 4.5 s in the collector, 128 s in all, the process's peak
memory 444 → 715 MB (cyclic garbage that reaches the old generation waits longer).
"""

from __future__ import annotations

import gc

THRESHOLDS = (2000, 20, 1000)  # Python's defaults: (700, 10, 10)


def settle() -> None:
    """Freeze every object alive now and set the test processes' thresholds."""
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
