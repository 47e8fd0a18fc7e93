"""Login throttling: per account and address, and per address over every account.

django-axes applies one failure limit to every lockout parameter. Password spraying (one
password tried on many accounts from one address) never trips a per-account limit, and a
per-address limit as low as the per-account one would lock a whole office that shares an
address after a few typos. So the address on its own gets its own, higher limit
(LOGIN_ADDRESS_FAILURE_LIMIT), counted over every username tried from it.

AXES_LOCKOUT_PARAMETERS must list the pair first and the address second.

Behind a reverse proxy every request comes from the proxy's address, and an address-wide
limit would lock the whole city out at once: the client's address is then read from the
X-Forwarded-For header the proxy adds, but only when the request comes from one of
LOGIN_PROXY_ADDRESSES (anyone else could write that header).
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import Sum


def client_address(request) -> str | None:
    """The address a login attempt came from (AXES_CLIENT_IP_CALLABLE)."""
    remote = request.META.get("REMOTE_ADDR")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if remote in settings.LOGIN_PROXY_ADDRESSES and forwarded.strip():
        # The proxy appends the address it saw: the last entry is the one it vouches for.
        return forwarded.split(",")[-1].strip()
    return remote


def _failures(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class ThrottleHandler(AxesDatabaseHandler):  # type: ignore[misc]  # django-axes has no types
    def get_failures(self, request, credentials: dict | None = None) -> int:
        pair, address = self.get_user_attempts(request, credentials)
        failures = _failures(pair)
        if _failures(address) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            # Reported as the account limit: axes then locks the request out.
            return max(failures, get_failure_limit(request, credentials))
        return failures

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        # A successful login clears that account's failures only: a sprayer holding one
        # valid account must not wipe the count of the other accounts tried.
        pair, _address = self.filter_user_attempts(request, credentials)
        count, _ = pair.delete()
        return count
