"""`spark-submit src/citysoc/engine/spark_submit.py match …`: the matcher on a cluster.

The same command as `citysoc match`, with `--engine spark` unless another engine is named;
a file of its own so that spark.py (imported by the CLI) does not import the CLI back.
"""

from __future__ import annotations

import sys

from citysoc.engine.cli import main

if __name__ == "__main__":
    args = sys.argv[1:]
    if "--engine" not in args:
        args = [args[0], "--engine", "spark", *args[1:]] if args else args
    sys.exit(main(args))
