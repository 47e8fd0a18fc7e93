"""What each notification topic means, in words, for the outbox.

A topic is a code the sender sets (`alerts.escalation`) so that scripts and the API can
filter on it; people read the label. A topic without a label (a new sender) is shown as
its code rather than hidden.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from citysoc.core import delivery_problems

# The outbox's own topics (its Test button, a channel switched off).
TEST_TOPIC = "notify.test"
DISABLED_TOPIC = "notify.channel-disabled"

# The messages a unit can miss are named once, in core.delivery_problems (the unit's page
# and the dashboard use the same words); the others are the outbox's own.
LABELS = {
    **delivery_problems.TOPICS,
    "alerts.escalation": _("Alert escalation"),
    "awareness.reminder": _("Awareness course reminder"),
    "intel.cleanup": _("Botnet clean-up task"),  # the outbox names the task, not the request
    "intel.feed-failed": _("Feed could not be pulled"),
    "incidents.task": _("Incident playbook task"),
    "incidents.deadline": _("Incident report deadline"),
    "isps.request": _("Request to an ISP"),
    "isps.overdue": _("Overdue ISP request"),
    "reports.periodic": _("Periodic report"),
    TEST_TOPIC: _("Channel test"),
    DISABLED_TOPIC: _("Channel disabled"),
}


def label(topic: str) -> str:
    known = LABELS.get(topic)
    return str(known) if known is not None else topic
