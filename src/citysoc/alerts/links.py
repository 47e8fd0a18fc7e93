"""Signed acknowledge/resolve links in notifications, usable without logging in.

The token carries the alert, the action and the person the message was meant for, signed
with the site's secret key (a `TimestampSigner` with its own salt) and valid for
`MAX_AGE`. Opening the link only shows a confirmation page: mail scanners and link
previews follow links, so a GET never changes anything; the button on that page POSTs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

SALT = "citysoc.alerts.link"
MAX_AGE = dt.timedelta(days=7)
ACTIONS = ("acknowledge", "resolve")


class LinkError(Exception):
    """A link that cannot be used; the message says why, for the person holding it."""


@dataclass(frozen=True)
class Link:
    alert_id: int
    action: str
    person: str


def make_token(alert_id: int, action: str, *, person: str = "") -> str:
    if action not in ACTIONS:
        raise ValueError(f"action {action!r} is not one of {', '.join(ACTIONS)}")
    signer = signing.TimestampSigner(salt=SALT)
    return signer.sign_object({"a": alert_id, "x": action, "p": person[:120]}, compress=True)


def ack_url(alert, action: str, *, person: str = "") -> str:
    """The absolute link that lets `person` acknowledge or resolve `alert` from a message."""
    token = make_token(alert.pk, action, person=person)
    return settings.SITE_URL.rstrip("/") + reverse("alerts:link", args=[token])


def read(token: str) -> Link:
    """The link's content; LinkError when it was altered or is older than MAX_AGE."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        data = signer.unsign_object(token, max_age=MAX_AGE)
    except signing.SignatureExpired as exc:
        raise LinkError(
            _(
                "This link has expired (links are valid for %(days)s days). "
                "Open the alert in citysoc instead."
            )
            % {"days": MAX_AGE.days}
        ) from exc
    except signing.BadSignature as exc:
        raise LinkError(
            _(
                "This link is not valid: it was changed or cut short. "
                "Open the alert in citysoc instead."
            )
        ) from exc
    if (
        not isinstance(data, dict)
        or data.get("x") not in ACTIONS
        or not isinstance(data.get("a"), int)
    ):
        raise LinkError(_("This link is not valid. Open the alert in citysoc instead."))
    return Link(alert_id=data["a"], action=data["x"], person=str(data.get("p") or ""))
