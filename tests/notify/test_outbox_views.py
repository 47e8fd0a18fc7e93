"""The outbox page and a message's page: who was told, when, how — per unit — and retry."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from citysoc.notify import outbox
from citysoc.notify.models import Channel, Delivery

# The messages asserted here are the English source strings (the UI default is Vietnamese).
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def hooks(api, unit_a, unit_b):
    a = Channel.objects.create(
        unit=unit_a, kind="webhook", name="SIEM A", config={"url": api.base_url + "/a"}
    )
    b = Channel.objects.create(
        unit=unit_b, kind="webhook", name="MARK-B SIEM", config={"url": api.base_url + "/b"}
    )
    return a, b


def test_a_unit_sees_its_messages_and_only_its_own_deliveries(client_as, officer_a, hooks, api):
    a, b = hooks
    both = outbox.enqueue("Cảnh báo chung", "x", [a, b], topic="alerts")
    outbox.enqueue("MARK-B only", "x", [b], topic="alerts")
    outbox.send_due()
    client = client_as(officer_a)
    page = client.get(reverse("notify:outbox")).content.decode()
    assert "Cảnh báo chung" in page and "SIEM A" in page
    assert "MARK-B" not in page
    detail = client.get(reverse("notify:message-detail", args=[both.pk])).content.decode()
    assert "SIEM A" in detail and "MARK-B" not in detail
    only_b = outbox.enqueue("B again", "x", [b], topic="alerts")
    assert client.get(reverse("notify:message-detail", args=[only_b.pk])).status_code == 404


def test_a_city_admin_sees_every_delivery(client_as, city_admin, hooks):
    a, b = hooks
    message = outbox.enqueue("Cảnh báo chung", "x", [a, b], topic="alerts")
    page = client_as(city_admin).get(reverse("notify:message-detail", args=[message.pk]))
    assert "SIEM A" in page.content.decode() and "MARK-B SIEM" in page.content.decode()


def test_the_outbox_filters_by_status_topic_channel_recipient_and_date(
    client_as, officer_a, unit_a, hooks, api, smtp
):
    a, _b = hooks
    mail = Channel.objects.create(
        unit=unit_a, kind="email", name="Thư", config={"addresses": ["lan@x.vn", "hung@x.vn"]}
    )
    with time_machine.travel(dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        outbox.enqueue("Tháng ba", "x", [mail], topic="intel.cleanup")
        outbox.send_due()
    api.stop()
    outbox.enqueue("Webhook lỗi", "x", [a], topic="alerts")
    outbox.send_due()
    client = client_as(officer_a)

    def subjects(query: str) -> set[str]:
        page = client.get(reverse("notify:outbox") + query).content.decode()
        return {s for s in ("Tháng ba", "Webhook lỗi") if s in page}

    assert subjects("") == {"Tháng ba", "Webhook lỗi"}
    assert subjects("?status=queued") == {"Webhook lỗi"}
    assert subjects("?status=sent") == {"Tháng ba"}
    assert subjects("?topic=intel.cleanup") == {"Tháng ba"}
    assert subjects(f"?channel={a.pk}") == {"Webhook lỗi"}
    assert subjects("?q=hung@") == {"Tháng ba"}
    assert subjects("?since=01/03/2025&until=01/03/2025") == {"Tháng ba"}
    assert subjects("?since=02/03/2025") == {"Webhook lỗi"}


def test_the_outbox_costs_the_same_queries_for_many_messages(
    client_as, officer_a, hooks, django_assert_max_num_queries
):
    a, _b = hooks
    for n in range(30):
        outbox.enqueue(f"msg {n}", "x", [a], topic="alerts")
    client = client_as(officer_a)
    client.get(reverse("notify:outbox"))  # warm the session and scope
    with django_assert_max_num_queries(12):
        assert client.get(reverse("notify:outbox")).status_code == 200


def test_retry_now_sends_a_dead_delivery_once_the_service_is_back(
    client_as, officer_a, viewer_a, hooks, api
):
    a, _b = hooks
    api.status = 503
    message = outbox.enqueue("Cảnh báo", "x", [a], topic="alerts")
    outbox.send_due()
    Delivery.objects.update(status="dead", last_error="gave up after 8 tries")
    delivery = Delivery.objects.get()
    url = reverse("notify:message-detail", args=[message.pk])
    assert client_as(viewer_a).post(url, {"delivery": delivery.pk}).status_code == 403
    assert 'data-testid="retry"' not in client_as(viewer_a).get(url).content.decode()
    api.status = 200
    page = client_as(officer_a).post(url, {"delivery": delivery.pk}, follow=True)
    assert "Sent to SIEM A" in page.content.decode()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 1)
    assert len(api.received) == 2  # the failed try, then the retry


def test_retry_now_of_another_units_delivery_is_not_found(client_as, officer_a, hooks):
    _a, b = hooks
    message = outbox.enqueue("B", "x", [b], topic="alerts")
    url = reverse("notify:message-detail", args=[message.pk])
    assert (
        client_as(officer_a).post(url, {"delivery": message.deliveries.get().pk}).status_code == 404
    )
