"""The outbox names what a notification is about in words, not by its topic code."""

from __future__ import annotations

from django.urls import reverse

from citysoc.notify import outbox
from citysoc.notify.models import Channel


def test_the_outbox_and_the_message_page_show_topic_labels(client_as, officer_a, unit_a, api):
    hook = Channel.objects.create(
        unit=unit_a, kind="webhook", name="SIEM", config={"url": api.base_url + "/a"}
    )
    outbox.enqueue("Máy nhiễm botnet", "x", [hook], topic="intel.cleanup")
    escalation = outbox.enqueue(
        "Cảnh báo chưa ai nhận", "x", [hook], topic="alerts.escalation", related=("alerts.alert", 7)
    )
    client = client_as(officer_a)

    page = client.get(reverse("notify:outbox")).content.decode()
    table = page[page.index('data-testid="outbox"') :]
    assert "Nhiệm vụ bóc gỡ mã độc botnet" in table and "Leo thang cảnh báo" in table
    assert ">intel.cleanup<" not in table and ">alerts.escalation<" not in table
    assert '<option value="alerts.escalation">Leo thang cảnh báo</option>' in page

    detail = client.get(reverse("notify:message-detail", args=[escalation.pk])).content.decode()
    assert "Leo thang cảnh báo" in detail
    assert "Cảnh báo #7" in detail  # the object type in words
    assert "alerts.alert" not in detail


def test_a_topic_without_a_label_is_shown_as_its_code(client_as, officer_a, unit_a, api):
    hook = Channel.objects.create(
        unit=unit_a, kind="webhook", name="SIEM", config={"url": api.base_url + "/a"}
    )
    outbox.enqueue("Khác", "x", [hook], topic="custom.script")
    page = client_as(officer_a).get(reverse("notify:outbox")).content.decode()
    assert "custom.script" in page


def test_every_reminder_topic_reads_as_words_in_the_outbox():
    from citysoc.compliance.duties import TOPIC as DUTIES
    from citysoc.directives.reminders import TOPIC as DIRECTIVES
    from citysoc.duty.gapwarnings import TOPIC as GAPS
    from citysoc.incidents.playbooks import TOPIC as PLAYBOOK_TASKS
    from citysoc.incidents.reminders import TOPIC as INCIDENT_DEADLINES
    from citysoc.inventory.reminders import TOPIC as LEVELS
    from citysoc.isps.escalation import TOPIC as ISP_OVERDUE
    from citysoc.isps.requesting import TOPIC as ISP_REQUESTS
    from citysoc.notify import topics
    from citysoc.reports.mailing import TOPIC as PERIODIC_REPORT

    for topic in (
        DIRECTIVES,
        DUTIES,
        GAPS,
        LEVELS,
        PLAYBOOK_TASKS,
        INCIDENT_DEADLINES,
        ISP_REQUESTS,
        ISP_OVERDUE,
        PERIODIC_REPORT,
        "intel.cleanup",
        "intel.feed-failed",
    ):
        assert topics.label(topic) != topic, topic
