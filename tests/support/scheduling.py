"""How `make test` hands tests to the xdist workers: a test module at a time.

`--dist loadgroup` would send tests marked `xdist_group` to one worker, but with pytest 9
xdist's renaming of the tests no longer takes (pytest derives `nodeid` from another field),
so every test went out on its own: each worker started Chromium, built the served hub and
every other module- or class-scoped fixture. Handing out whole modules keeps such a fixture
on one worker, built once; the browser tests all go to one worker (one Chromium). A module
of long, independent tests is still spread test by test so that it does not hold one worker
while the other idles at the end of the run.
"""

from __future__ import annotations

from xdist.scheduler import LoadScopeScheduling

BROWSER = "tests/browser/"
# Long tests with nothing shared between them (function-scoped fixtures only).
SPREAD = {"tests/test_tenancy_sweep.py"}


class ModuleScheduling(LoadScopeScheduling):
    def _split_scope(self, nodeid: str) -> str:
        if nodeid.startswith(BROWSER):
            return BROWSER
        module = nodeid.split("::", 1)[0]
        return nodeid if module in SPREAD else module
