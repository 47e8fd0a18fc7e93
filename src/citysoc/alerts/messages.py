"""The text of escalation notifications: one alert, or a storm grouped into one message.

Plain text, in the hub's language, with the alert's page and signed acknowledge/resolve
links for each person told (so the timeline says who pressed it). Labels are `%`-formatted,
not f-strings, so that makemessages finds them.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from citysoc.alerts import links
from citysoc.alerts.models import Alert, AlertSource, EscalationStep
from citysoc.alerts.steps import local_time, step_label

if TYPE_CHECKING:
    from citysoc.alerts.steps import Reach

GROUP_TOP = 10  # summaries listed in a grouped message
DETAILS_SHOWN = 20  # detail fields written into a message body


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _labelled(label: str, value: object) -> str:
    return "%s: %s" % (label, value)  # noqa: UP031 - the label is translated separately


def alert_url(alert: Alert) -> str:
    return _site(reverse("alerts:alert-detail", args=[alert.pk]))


def alert_subject(alert: Alert) -> str:
    return f"[citysoc] {alert.get_severity_display().upper()} · {alert.unit.name} · {alert.summary}"


def alert_body(alert: Alert, step: EscalationStep, steps: list[EscalationStep], who: Reach) -> str:

    lines = [alert.summary, ""]
    lines += [
        _labelled(_("Unit"), alert.unit.name),
        _labelled(_("Source"), alert.source.name),
        _labelled(_("Severity"), f"{alert.get_severity_display()} · {alert.get_urgency_display()}"),
        _labelled(pgettext("alert", "First seen"), local_time(alert.first_seen))
        + " · "
        + _labelled(_("events"), alert.count),
    ]
    if alert.host:
        lines.append(_labelled(_("Host"), alert.host))
    for key, value in list((alert.details or {}).items())[:DETAILS_SHOWN]:
        lines.append(f"  {key}: {str(value)[:200]}")
    repeat = alert.escalation_policy.repeat if alert.escalation_policy else 0
    lines += ["", step_label(step, steps, alert.escalation_round, repeat), ""]
    lines += [_labelled(_("Open the alert"), alert_url(alert)), ""]
    lines += _link_lines(alert, who)
    lines += ["", _("Nobody acknowledging means the next person on the policy is told.")]
    return "\n".join(lines)


def _link_lines(alert: Alert, who: Reach) -> list[str]:
    # One pair of links per person told, so the timeline says who pressed it.
    names = [p.full_name for p in who.people if p not in who.unreachable]
    names = names or [c.name for c in who.channels]
    lines = []
    for name in names:
        lines.append(f"{name}:")
        ack = links.ack_url(alert, "acknowledge", person=name)
        lines.append("  " + _labelled(_("Acknowledge"), ack))
        lines.append("  " + _labelled(_("Resolve"), links.ack_url(alert, "resolve", person=name)))
    return lines


def group_subject(source: AlertSource, alerts: list[Alert]) -> str:
    return _("[citysoc] %(n)s alerts from %(source)s · %(unit)s") % {
        "n": len(alerts),
        "source": source.name,
        "unit": source.unit.name,
    }


def group_body(
    source: AlertSource, alerts: list[Alert], step: EscalationStep, steps: list[EscalationStep]
) -> str:

    severities = Counter(a.get_severity_display() for a in alerts)
    summaries = Counter(a.summary for a in alerts).most_common(GROUP_TOP)
    first = alerts[0]
    repeat = first.escalation_policy.repeat if first.escalation_policy else 0
    lines = [
        _(
            "%(n)s alerts from %(source)s (%(unit)s) are due at once, more than the %(limit)s "
            "notifications a minute this source may send: they are listed in this one message."
        )
        % {
            "n": len(alerts),
            "source": source.name,
            "unit": source.unit.name,
            "limit": source.notify_per_minute,
        },
        "",
        ", ".join(f"{name}: {n}" for name, n in severities.most_common()),
        "",
        _("Most frequent:"),
    ]
    lines += [f"  {n} × {summary}" for summary, n in summaries]
    lines += ["", step_label(step, steps, first.escalation_round, repeat), ""]
    query = f"?source={source.pk}&status=triggered"
    lines.append(_labelled(_("See them all"), _site(reverse("alerts:home")) + query))
    return "\n".join(lines)
