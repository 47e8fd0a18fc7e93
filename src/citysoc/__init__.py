"""citysoc: a self-hosted security operations hub for a city and its units.

This file must stay free of Django imports: `citysoc.engine` is used without Django.
"""

__version__ = "0.1.0"
