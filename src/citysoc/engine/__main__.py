"""`python -m citysoc.engine match …`: the engine CLI without Django."""

import sys

from citysoc.engine.cli import main

if __name__ == "__main__":
    sys.exit(main())
