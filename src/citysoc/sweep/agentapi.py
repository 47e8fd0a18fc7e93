"""The agent's own endpoints: enrol, jobs, heartbeat, results (JSON over HTTPS).

Not user endpoints: enrolment is authorised by the unit's token, everything else by the
HMAC signature of the host's secret (see `signatures.py`), so they carry no session and no
CSRF token. Every refusal answers `{"detail": …}` with a status the agent prints.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from citysoc.sweep import bundles, enrolment, heartbeats, ingesting, jobs
from citysoc.sweep.enrolment import Refused
from citysoc.sweep.models import Agent, Result
from citysoc.sweep.signatures import Signed, verify

HEARTBEAT_SECONDS = 300


def _json(request: HttpRequest) -> Any:
    if len(request.body) > 16 * 1024 * 1024:
        raise Refused(_("The request is too large."), status=413)
    try:
        return json.loads(request.body or b"{}")
    except ValueError as exc:
        raise Refused(_("The request is not JSON."), status=400) from exc


def _answer(handler):
    @csrf_exempt
    @require_POST
    def view(request: HttpRequest) -> JsonResponse:
        try:
            return handler(request)
        except Refused as exc:
            return JsonResponse({"detail": str(exc)}, status=exc.status)

    view.__name__ = handler.__name__
    view.__doc__ = handler.__doc__
    return view


def _signed(request: HttpRequest, *kinds: str) -> Signed:
    signed = verify(_json(request))
    if signed.kind not in kinds:
        raise Refused(_("This endpoint does not take a %s message.") % signed.kind, status=400)
    return signed


@_answer
def enrol(request: HttpRequest) -> JsonResponse:
    """Register the host described in `facts` with the unit of `token`."""
    data = _json(request)
    if not isinstance(data, dict) or not isinstance(data.get("facts"), dict):
        raise Refused(_("Send a token and the host's facts."), status=400)
    agent, secret = enrolment.enrol(str(data.get("token", "")), data["facts"])
    return JsonResponse(
        {
            "agent": agent.key,
            "secret": secret,
            "host": agent.host.hostname,
            "unit": agent.unit.code,
        },
        status=201,
    )


@_answer
def agent_jobs(request: HttpRequest) -> JsonResponse:
    """The jobs waiting for this agent, and the ad-hoc default for `sweep --once`."""
    signed = _signed(request, "jobs")
    heartbeats.heard(signed.agent)
    pending = jobs.pending_for(signed.agent)
    return JsonResponse(
        {
            "jobs": [jobs.spec_for(job) for job in pending],
            "default": jobs.spec_for(None),
            "agent_latest": bundles.agent_version(),
            "heartbeat_seconds": HEARTBEAT_SECONDS,
        }
    )


@_answer
def heartbeat(request: HttpRequest) -> JsonResponse:
    """The agent is alive (or, with kind "retire", is being uninstalled)."""
    signed = _signed(request, "heartbeat", "retire")
    if signed.kind == "retire":
        Agent.objects.filter(pk=signed.agent.pk).update(status=Agent.Status.RETIRED)
        return JsonResponse({"retired": True})
    heartbeats.heard(signed.agent)
    return JsonResponse({"at": timezone.now().isoformat()})


@_answer
def results(request: HttpRequest) -> JsonResponse:
    """One signed sweep result; a body changed in transit is refused."""
    signed = _signed(request, "result")
    result, created = ingesting.ingest(signed, via=Result.Via.ONLINE)
    heartbeats.heard(signed.agent)
    return JsonResponse(
        {"result": result.pk, "verdict": result.verdict, "new": created},
        status=201 if created else 200,
    )
