"""The outbox's own reasons for not sending read in the officer's language; they are stored
in English (scripts and the API match on them), and a transport's error stays as it came."""

from __future__ import annotations

from django.urls import reverse

from citysoc.notify import outbox
from citysoc.notify.models import NOBODY, Channel, Delivery
from tests import factories


def test_the_outbox_shows_why_nothing_was_sent_in_vietnamese(client_as, city_admin, unit_a):
    nobody_unit = factories.make_unit("p-empty", name="Phường Không Người")
    people = Channel.objects.create(unit=nobody_unit, kind="people", name="Cán bộ")
    off = Channel.objects.create(unit=unit_a, kind="webhook", name="SIEM", enabled=False)
    sms = Channel.objects.create(unit=unit_a, kind="sms_http", name="SMS", config={})
    message = outbox.enqueue("Nhắc hạn", "x", [people, off, sms], topic="directives.reminder")
    assert Delivery.objects.filter(last_error=NOBODY).exists()  # stored in English

    url = reverse("notify:message-detail", args=[message.pk])
    page = client_as(city_admin).get(url).content.decode()
    assert "nobody to tell" not in page and "channel disabled" not in page
    assert "channel has no recipient" not in page
    for delivery in Delivery.objects.all():
        assert delivery.shown_error and delivery.shown_error != delivery.last_error
        assert delivery.shown_error in page


def test_a_transport_error_is_shown_as_it_came(unit_a):
    hook = Channel.objects.create(unit=unit_a, kind="webhook", name="SIEM")
    message = outbox.enqueue("x", "x", [hook], topic="alerts")
    delivery = message.deliveries.get()
    delivery.last_error = "HTTP 502 from the webhook"
    assert delivery.shown_error == "HTTP 502 from the webhook"
