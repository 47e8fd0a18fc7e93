"""The engine must stay a plain library: importing it never loads Django."""

import subprocess
import sys


def test_engine_does_not_import_django():
    code = (
        "import sys, citysoc.engine, citysoc.engine.cli, citysoc.engine.readers, "
        "citysoc.engine.pipeline; assert 'django' not in sys.modules, 'django was imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)  # noqa: S603 - fixed code
