"""Error text shown to users, without the server's own folders in it.

A reader or a library often names the file it failed on with its full path on the server
("cannot tell the log format of /srv/citysoc/var/media/intel/logs/…"). The person who
uploaded the file knows it by its name; the layout of the server's disk is nobody else's
business. Every message stored for a page goes through `without_server_paths`.
"""

from __future__ import annotations

import re
import tempfile
from functools import lru_cache
from pathlib import PurePath

from django.conf import settings


@lru_cache(maxsize=1)
def _server_paths() -> re.Pattern[str]:
    roots = {
        str(settings.DATA_DIR),
        str(settings.MEDIA_ROOT),
        str(settings.BASE_DIR),
        str(settings.REPO_DIR),
        tempfile.gettempdir(),
    }
    # Longest first, so that the media folder wins over the data folder that holds it.
    alternatives = "|".join(re.escape(r.rstrip("/")) for r in sorted(roots, key=len, reverse=True))
    # A path runs until a space, a quote or the end of a clause.
    return re.compile(rf"(?:{alternatives})(?:/[^\s'\";,)]*)?")


def without_server_paths(text: str) -> str:
    """`text` with every path under the server's folders reduced to its file name."""
    return _server_paths().sub(lambda m: PurePath(m.group()).name or "…", text)
