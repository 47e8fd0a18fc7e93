"""Overdue ISP requests: an alert on the ISP unit (so the duty escalation runs) and a word
to the ISP's liaison and to the city, once per request."""

from __future__ import annotations

import logging

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from citysoc.isps.models import ISP_ROLES, IspRequest
from citysoc.notify import reach

logger = logging.getLogger(__name__)
TOPIC = "isps.overdue"


def _key(request: IspRequest) -> str:
    return f"isp-request:{request.pk}"


def escalate_overdue(now=None) -> int:
    """Escalate every open request past its due time not escalated yet; returns how many."""
    now = now or timezone.now()
    due = IspRequest.objects.filter(
        status__in=IspRequest.OPEN, due_at__lt=now, escalated_at__isnull=True
    ).select_related("unit")
    count = 0
    for request in due:
        # Claimed row by row, so two workers never escalate one request twice.
        if IspRequest.objects.filter(pk=request.pk, escalated_at__isnull=True).update(
            escalated_at=now
        ):
            _escalate(request)
            count += 1
    return count


def _escalate(request: IspRequest) -> None:
    from citysoc.alerts import intake

    link = settings.SITE_URL.rstrip("/") + reverse("isps:request-detail", args=[request.pk])
    with translation.override(settings.LANGUAGE_CODE):
        summary = _("ISP request overdue: %(isp)s has not answered '%(subject)s'") % {
            "isp": request.unit.name,
            "subject": request.subject,
        }
        intake.raise_alert(
            request.unit,
            kind="system",
            dedup_key=_key(request),
            severity="high",
            summary=summary,
            details={"request": request.pk, "due": request.due_at.isoformat()},
            links=[link],
            source_name=_("ISP requests"),
        )
        body = _("The request '%(subject)s' was due %(due)s and is still %(status)s.\n%(link)s") % {
            "subject": request.subject,
            "due": f"{timezone.localtime(request.due_at):%d/%m/%Y %H:%M}",
            "status": request.get_status_display().lower(),
            "link": link,
        }
        reach.tell_unit(
            request.unit,
            summary,
            body,
            topic=TOPIC,
            roles=ISP_ROLES,
            dedup_key=f"isps:request:{request.pk}:overdue",
            related=request,
        )
        reach.tell_city(
            summary,
            body,
            topic=TOPIC,
            dedup_key=f"isps:request:{request.pk}:overdue-city",
            related=request,
        )
    logger.info("ISP request %s overdue: escalated", request.pk)


def resolve(request: IspRequest) -> None:
    """An escalated request now answered: resolve its alert."""
    # Read from the database: the caller's copy may predate the escalation.
    if not IspRequest.objects.filter(pk=request.pk, escalated_at__isnull=False).exists():
        return
    from citysoc.alerts import intake

    with translation.override(settings.LANGUAGE_CODE):
        intake.raise_alert(
            request.unit,
            kind="system",
            dedup_key=_key(request),
            severity="high",
            summary=request.subject,
            action="resolve",
            source_name=_("ISP requests"),
        )
