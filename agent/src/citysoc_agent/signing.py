"""Signed envelopes: HMAC-SHA256 over the exact body text with the host's own secret.

The secret is issued once at enrolment (or baked into an offline bundle for one host) and
kept in the agent's state file, readable by the agent's account only. The server keeps the
same secret and refuses any envelope whose body does not match its signature.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
from typing import Any


def sign(secret: str, body: str) -> str:
    return hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()


def envelope(agent: str, secret: str, kind: str, payload: dict[str, Any]) -> dict[str, str]:
    """Wrap `payload` so the server can tell it came, unchanged, from this host."""
    body = json.dumps(
        {
            "kind": kind,
            "sent_at": dt.datetime.now(dt.timezone.utc).isoformat(),
            "nonce": secrets.token_hex(8),
            "payload": payload,
        },
        ensure_ascii=False,
        sort_keys=True,
    )
    return {"agent": agent, "body": body, "signature": sign(secret, body)}
