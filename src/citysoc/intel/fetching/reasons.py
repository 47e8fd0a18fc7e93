"""A failed pull as an officer reads it: one translated sentence saying what happened and
what to check, by `FetchError.kind`. The fetcher's own message (English, with the technical
reason) stays for the log and for details."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from citysoc.intel.fetching.results import FetchError

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


def explain(exc: FetchError, url: str) -> str:
    """The failure in the active language (`url` when the error names no address)."""
    reason = REASONS.get(exc.kind, gettext_noop("pulling %(url)s failed."))
    return _(reason) % {"url": exc.url or url, "status": exc.http_status}
