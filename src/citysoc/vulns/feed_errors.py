"""A failed feed pull as the city's officers read it: one translated sentence and what to do.

The fetcher's own message (English, with the technical reason) goes to the log and the
alert's details; the page and the alert's summary show this sentence instead.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from citysoc.intel.fetching import FetchError
from citysoc.vulns.kev import FeedError

# FetchError.kind -> what happened and what to check.
REASONS = {
    "dns": gettext_noop(
        "the server name in %(url)s could not be resolved (DNS). Check the address and this "
        "server's DNS settings."
    ),
    "connect": gettext_noop(
        "could not connect to %(url)s. Check that this server can reach it (firewall, proxy)."
    ),
    "network": gettext_noop(
        "the connection to %(url)s failed. The next pull will try again; if it keeps "
        "failing, check the proxy or firewall in between."
    ),
    "timeout": gettext_noop(
        "%(url)s did not answer in time. The next pull will try again; check that this "
        "server can reach it."
    ),
    "tls": gettext_noop(
        "the TLS certificate of %(url)s could not be checked. Check the certificate and "
        "this server's clock."
    ),
    "http": gettext_noop("%(url)s answered with HTTP status %(status)s. Check the address."),
    "too_large": gettext_noop("the file at %(url)s is larger than the size limit."),
    "redirects": gettext_noop(
        "%(url)s redirected too many times. Put the final address on this page."
    ),
    "gzip": gettext_noop("the compressed file from %(url)s could not be unpacked."),
    "file": gettext_noop("the file %(url)s could not be read. Check the path and its rights."),
    "url": gettext_noop("%(url)s is not a valid feed address. Correct it on this page."),
    "refused": gettext_noop(
        "%(url)s is a private or local address this server may not pull from "
        "(OUTBOUND_ALLOW in the settings)."
    ),
}
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
    reason = REASONS.get(exc.kind, gettext_noop("pulling %(url)s failed."))
    text = _(reason) % {"url": exc.url or url, "status": exc.http_status}
    if exc.kind in {"dns", "connect", "network", "timeout"}:
        text = f"{text} {_(OFFLINE_HINT)}"
    return text
