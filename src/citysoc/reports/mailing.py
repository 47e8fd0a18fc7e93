"""The weekly report by e-mail to the city's leaders, through the notification outbox.

The outbox carries text, so the e-mail holds the summary and the ranking, with links to the
DOCX, PDF and XLSX on the hub (they need a login: the figures are not for a mailbox copy).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from citysoc.core.models import Person, Unit
from citysoc.notify import reach
from citysoc.reports import documents, periodic

logger = logging.getLogger(__name__)

LEADER_ROLES = (Person.Role.CITY_ADMIN, Person.Role.VIEWER)
TOPIC = "reports.periodic"


def body_of(report: periodic.Figures) -> str:
    site = settings.SITE_URL.rstrip("/")
    lines = [documents.summary(report), "", "Xếp hạng:"]
    lines += [f"{rank}. {name}: {score}" for rank, name, score, _c in documents.unit_rows(report)]
    lines += ["", "Tải báo cáo:"]
    for fmt in ("docx", "pdf", "xlsx"):
        url = reverse("reports:report-download") + f"?kind={report.kind}&fmt={fmt}"
        lines.append(f"- {fmt.upper()}: {site}{url}")
    return "\n".join(lines)


WEEKLY_ON = 0  # Monday: the report of the week that just ended


def mail_weekly_if_due(today=None) -> int | None:
    """The scheduled job (daily): on Mondays, queue the weekly report; None on other days."""
    today = today or timezone.localdate()
    if today.weekday() != WEEKLY_ON:
        return None
    return mail_report("weekly", today)


def mail_report(kind: str, today=None) -> int:
    """Queue the report of `kind` to the city's administrators and leaders; returns the
    message id. Sent once per report and day (a rerun the same day queues nothing new)."""
    today = today or timezone.localdate()
    report = periodic.figures(kind, Unit.objects.all(), today)
    subject = f"[citysoc] {report.title} ({report.start:%d/%m/%Y} – {report.end:%d/%m/%Y})"
    dedup = f"reports:{kind}:{today.isoformat()}"
    with translation.override(settings.LANGUAGE_CODE):
        if report.city is None:
            message = reach.tell_city(subject, body_of(report), topic=TOPIC, dedup_key=dedup)
        else:
            message = reach.tell_unit(
                report.city,
                subject,
                body_of(report),
                topic=TOPIC,
                roles=LEADER_ROLES,
                dedup_key=dedup,
            )
    logger.info("%s report queued as message %s", kind, message.pk)
    return message.pk
