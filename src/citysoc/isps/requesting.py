"""Sending a request to an ISP, and the ISP's acknowledgement, answers and proof.

Each rule is here once; the pages, the API and the CLI call these functions. A request's
lines are checked all together before anything is saved: a bad line is named with its
number and nothing is half-sent.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from citysoc.core.models import Person, Unit
from citysoc.core.tenancy import can_edit, scope_for
from citysoc.isps import escalation
from citysoc.isps.models import ISP_ROLES, IspProof, IspRequest, IspRequestItem
from citysoc.notify import reach

logger = logging.getLogger(__name__)

TOPIC = "isps.request"
DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
ITEM_KIND = {
    IspRequest.Kind.BLOCK: None,  # decided per line: ip, domain or url
    IspRequest.Kind.SUBSCRIBERS: IspRequestItem.Kind.SUBSCRIBER,
    IspRequest.Kind.STAFFING: IspRequestItem.Kind.STAFFING,
}
ANSWERS: dict[str, tuple[str, ...]] = {
    IspRequestItem.Kind.SUBSCRIBER: (
        IspRequestItem.Answer.NOTIFIED,
        IspRequestItem.Answer.NOT_POSSIBLE,
    ),
    IspRequestItem.Kind.STAFFING: (IspRequestItem.Answer.DONE,),
}
BLOCK_ANSWERS: tuple[str, ...] = (IspRequestItem.Answer.DONE, IspRequestItem.Answer.NOT_POSSIBLE)


@dataclass(frozen=True)
class Line:
    kind: str
    value: str
    note: str = ""
    sighting_id: int | None = None


def may_send(user) -> bool:
    """Requests come from the city: an editing role at the root unit."""
    return scope_for(user).city_editor


def may_answer(user, request: IspRequest) -> bool:
    """The ISP's liaison or an editor of the ISP unit (the city included) answers."""
    if can_edit(user, request.unit):
        return True
    return Person.objects.filter(
        user=user,
        is_active=True,
        role=Person.Role.ISP_LIAISON,
        unit__path__in=_ancestor_paths(request.unit),
    ).exists()


def _ancestor_paths(unit: Unit) -> list[str]:
    parts = unit.path.strip("/").split("/")
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def _block_kind(value: str) -> str:
    try:
        ipaddress.ip_network(value, strict=False)
        return IspRequestItem.Kind.IP
    except ValueError:
        pass
    if value.lower().startswith(("http://", "https://")):
        return IspRequestItem.Kind.URL
    if DOMAIN.match(value.lower().rstrip(".")):
        return IspRequestItem.Kind.DOMAIN
    raise ValueError(_("not an IP address, a range, a domain or an http(s) URL"))


def parse_lines(kind: str, text: str) -> list[Line]:
    """The request's lines, one value per line ("value  note" after spaces is kept as note).

    Raises ValidationError naming every bad line; blank lines and "#" comments are skipped.
    """
    lines: list = []
    errors: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        raw = raw.strip()
        if not raw or raw.startswith("#"):
            continue
        value, _sep, note = raw.partition(" ")
        lines.append(_line(kind, value, note.strip(), raw, number, errors))
    if errors:
        raise ValidationError(errors)
    if not lines:
        raise ValidationError(_("The request has no lines: write one value per line."))
    return lines


def _line(kind: str, value: str, note: str, raw: str, number: int, errors: list) -> Line:
    if kind == IspRequest.Kind.STAFFING:
        return Line(IspRequestItem.Kind.STAFFING, raw[:500])
    try:
        if kind == IspRequest.Kind.SUBSCRIBERS:
            ipaddress.ip_address(value)
            return Line(IspRequestItem.Kind.SUBSCRIBER, value, note[:300])
        return Line(_block_kind(value), value[:500], note[:300])
    except ValueError as exc:
        message = str(exc) if kind == IspRequest.Kind.BLOCK else _("not an IP address")
        errors.append(
            _("Line %(n)d (%(value)s): %(problem)s.")
            % {"n": number, "value": value, "problem": message}
        )
        return Line("", value)


def unattributed_lines(isp: Unit) -> list[Line]:
    """The botnet sightings the matching could only place in this ISP's ranges (no unit of
    the city owns the address), not yet in a request: the subscribers the ISP must find."""
    from citysoc.intel.models import Sighting

    rows = Sighting.objects.filter(unit=isp, attributed=False, isp_items__isnull=True).order_by(
        "ip", "-last_seen", "-pk"
    )
    lines, seen = [], set()
    for s in rows:
        if s.ip in seen:
            continue
        seen.add(s.ip)
        note = " ".join(p for p in (s.family, s.last_seen and f"{s.last_seen:%d/%m/%Y}") if p)
        lines.append(Line(IspRequestItem.Kind.SUBSCRIBER, s.ip, note[:300], s.pk))
    return lines


def send(
    isp: Unit,
    *,
    kind: str,
    subject: str,
    lines: list[Line],
    due_at: dt.datetime,
    by=None,
    body: str = "",
    number: str = "",
) -> IspRequest:
    """Store the request with its lines and tell the ISP's liaison through the outbox."""
    if isp.kind != Unit.Kind.ISP:
        raise ValidationError(_("'%(unit)s' is not an ISP unit.") % {"unit": isp})
    if not lines:
        raise ValidationError(_("The request has no lines: write one value per line."))
    with transaction.atomic():
        request = IspRequest.objects.create(
            unit=isp,
            kind=kind,
            subject=subject,
            body=body,
            due_at=due_at,
            created_by=by,
            number=number,
        )
        IspRequestItem.objects.bulk_create(
            IspRequestItem(
                request=request,
                unit=isp,
                kind=line.kind,
                value=line.value,
                note=line.note,
                sighting_id=line.sighting_id,
            )
            for line in lines
        )
    _tell_isp(request)
    return request


def _tell_isp(request: IspRequest) -> None:
    link = settings.SITE_URL.rstrip("/") + reverse("isps:request-detail", args=[request.pk])
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[citysoc] Request from the city: %(subject)s") % {"subject": request.subject}
        body = _(
            "The city asks %(isp)s: %(kind)s.\n%(body)s\n\n%(count)d items, due %(due)s.\n"
            "Acknowledge and answer each item here: %(link)s"
        ) % {
            "isp": request.unit.name,
            "kind": request.get_kind_display(),
            "body": request.body,
            "count": request.items.count(),
            "due": f"{timezone.localtime(request.due_at):%d/%m/%Y %H:%M}",
            "link": link,
        }
    reach.tell_unit(
        request.unit,
        subject,
        body,
        topic=TOPIC,
        roles=ISP_ROLES,
        dedup_key=f"isps:request:{request.pk}:sent",
        related=request,
    )


def acknowledge(request: IspRequest, *, by) -> IspRequest:
    if not may_answer(by, request):
        raise PermissionDenied
    if request.status == IspRequest.Status.SENT:
        request.status = IspRequest.Status.ACKNOWLEDGED
        request.acknowledged_at = timezone.now()
        request.acknowledged_by = by
        request.save(update_fields=["status", "acknowledged_at", "acknowledged_by"])
    return request


def allowed_answers(item: IspRequestItem) -> tuple[str, ...]:
    return ANSWERS.get(item.kind, BLOCK_ANSWERS)


def answer(item: IspRequestItem, *, answer: str, comment: str = "", by) -> IspRequestItem:
    """Record the ISP's answer for one item; "not possible" needs a reason. Answering
    acknowledges the request, and the last answer marks the request answered."""
    request = item.request
    if not may_answer(by, request):
        raise PermissionDenied
    if answer not in allowed_answers(item):
        raise ValidationError(
            _("'%(answer)s' is not an answer for this item.") % {"answer": answer}
        )
    if answer == IspRequestItem.Answer.NOT_POSSIBLE and not comment.strip():
        raise ValidationError(_("Say why it is not possible."))
    if item.kind == IspRequestItem.Kind.STAFFING and not comment.strip():
        raise ValidationError(_("Write the staffing: names, phones and hours."))
    with transaction.atomic():
        item.answer, item.comment = answer, comment.strip()
        item.answered_at, item.answered_by = timezone.now(), by
        item.save(update_fields=["answer", "comment", "answered_at", "answered_by"])
        acknowledge(request, by=by)
        _mark_answered_if_complete(request)
    return item


def _mark_answered_if_complete(request: IspRequest) -> None:
    if request.items.filter(answer=IspRequestItem.Answer.PENDING).exists():
        return
    request.status = IspRequest.Status.ANSWERED
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "answered_at"])
    escalation.resolve(request)


def attach_proof(request: IspRequest, file, *, by, note: str = "") -> IspProof:
    if not may_answer(by, request):
        raise PermissionDenied
    limit = settings.UPLOAD_MAX_BYTES
    if file.size is not None and file.size > limit:
        raise ValidationError(
            _("'%(name)s' is over the upload limit of %(limit)d MB.")
            % {"name": file.name, "limit": limit // 2**20}
        )
    return IspProof.objects.create(
        request=request,
        unit=request.unit,
        file=file,
        filename=file.name[:255],
        note=note[:300],
        uploaded_by=by,
    )


def link_sightings(isp: Unit, lines: list[Line]) -> list[Line]:
    """Subscriber lines get the unattributed sighting of their address, when there is one,
    so the sighting is not offered again in the next request."""
    by_ip = {line.value: line.sighting_id for line in unattributed_lines(isp)}
    return [
        Line(line.kind, line.value, line.note, by_ip.get(line.value))
        if line.kind == IspRequestItem.Kind.SUBSCRIBER
        else line
        for line in lines
    ]
