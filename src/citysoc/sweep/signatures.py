"""Checking a signed envelope from an agent: who sent it, and that nobody changed it.

The agent signs the exact body text with HMAC-SHA256 and its own secret (issued at
enrolment). The comparison is constant-time; a body that does not match is refused and
nothing of it is read.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from citysoc.sweep.enrolment import Refused
from citysoc.sweep.models import Agent

MAX_BODY = 8 * 1024 * 1024


@dataclass(frozen=True)
class Signed:
    agent: Agent
    kind: str
    payload: dict[str, Any]
    body_sha256: str


def verify(envelope: Any) -> Signed:
    if not isinstance(envelope, dict) or not all(
        isinstance(envelope.get(k), str) for k in ("agent", "body", "signature")
    ):
        raise Refused(_("Not a signed sweep envelope (agent, body, signature)."), status=400)
    body = envelope["body"]
    if len(body) > MAX_BODY:
        raise Refused(_("The result is too large."), status=413)
    agent = Agent.objects.select_related("unit", "host").filter(key=envelope["agent"]).first()
    if agent is None or agent.status == Agent.Status.RETIRED:
        raise Refused(_("Unknown or retired agent. Enrol the host again."))
    expected = hmac.new(agent.secret.encode(), body.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, envelope["signature"]):
        raise Refused(_("The signature does not match: the result was changed or forged."))
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise Refused(_("The signed body is not JSON."), status=400) from exc
    if not isinstance(data, dict) or not isinstance(data.get("payload"), dict):
        raise Refused(_("The signed body has no payload."), status=400)
    sha = hashlib.sha256(body.encode()).hexdigest()
    return Signed(agent, str(data.get("kind", "")), data["payload"], sha)
