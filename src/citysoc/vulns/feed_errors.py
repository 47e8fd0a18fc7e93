"""A failed feed pull as the city's officers read it: one translated sentence and what to do.

The fetcher's reasons (`intel.fetching.reasons`, one sentence per kind of failure) with
what a KEV/EPSS file adds: the offline hint and a downloaded file that is not usable. The
fetcher's own English message goes to the log and the alert's details.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from citysoc.intel.fetching import FetchError, reasons
from citysoc.vulns.kev import FeedError

OFFLINE_HINT = gettext_noop(
    "On a network without Internet access, empty the address and load a file with citysoc "
    "vulns load-kev FILE or citysoc vulns load-epss FILE."
)


def explain(exc: FetchError | FeedError, url: str) -> str:
    """The failure in the active language: the reason, then the offline hint."""
    if isinstance(exc, FeedError):
        return _("the file downloaded from %(url)s is not usable: %(detail)s.") % {
            "url": url,
            "detail": exc,
        }
    text = reasons.explain(exc, url)
    if exc.kind in {"dns", "connect", "network", "timeout"}:
        text = f"{text} {_(OFFLINE_HINT)}"
    return text
