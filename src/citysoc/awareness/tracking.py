"""The drill's public endpoints, reached from the e-mail by anyone holding its tracking id:
the open pixel, the link (landing page), the landing form, and "report this e-mail".

No login: the recipient clicks from their mailbox. An unknown id answers 404 and records
nothing. What the landing form held is never read, only its field names.
"""

from __future__ import annotations

import base64

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from citysoc.awareness import drills
from citysoc.awareness.models import Drill, DrillEvent

# The smallest transparent GIF.
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def _target(rid: str):
    target = drills.by_rid(rid)
    if target is None:
        raise Http404
    return target


def _record(target, kind: str, details: dict) -> None:
    # A finished drill's results are final (as in GoPhish): a late click is not counted.
    if target.drill.status != Drill.Status.FINISHED:
        drills.record(target, kind, details)


def _client(request) -> dict[str, str]:
    return {"user_agent": request.META.get("HTTP_USER_AGENT", "")[:200]}


@never_cache
def opened(request, rid):
    target = drills.by_rid(rid)
    if target is not None:
        _record(target, DrillEvent.Kind.OPENED, _client(request))
    return HttpResponse(PIXEL, content_type="image/gif")


@never_cache
def clicked(request, rid):
    target = _target(rid)
    _record(target, DrillEvent.Kind.CLICKED, _client(request))
    return render(
        request, "awareness/landing.html", {"target": target, "template": target.drill.template}
    )


@never_cache
@require_http_methods(["POST"])
def submitted(request, rid):
    target = _target(rid)
    if target.drill.status != Drill.Status.FINISHED:
        drills.submitted(target, request.POST.keys())
    return render(
        request,
        "awareness/drill_reveal.html",
        {"target": target, "template": target.drill.template},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def reported(request, rid):
    target = _target(rid)
    if request.method == "POST":
        _record(target, DrillEvent.Kind.REPORTED, {"via": "button", **_client(request)})
        return render(request, "awareness/reported.html", {"done": True})
    context = {"done": False, "report_address": settings.AWARENESS_REPORT_ADDRESS}
    return render(request, "awareness/reported.html", context)
