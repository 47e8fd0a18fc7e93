"""`python -m citysoc_agent …` and the offline bundle (`python bundle.zip …`)."""

import sys

from citysoc_agent.cli import main

sys.exit(main())
