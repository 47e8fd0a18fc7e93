"""E-mail: one message per address through the real SMTP server on 127.0.0.1."""

import datetime as dt

from citysoc.notify import outbox
from citysoc.notify.models import Channel
from tests.notify.transports.support import NOW, golden, send


def test_an_email_channel_mails_each_address_once(db, smtp, unit_a):
    expected = golden("email/headers.json")
    channel = Channel.objects.create(
        unit=unit_a, kind="email", name="Trực ban", config={"addresses": expected["To"]}
    )
    message, report = send(channel)
    assert (report.claimed, report.sent) == (2, 2)
    assert sorted(m["To"] for m in smtp) == expected["To"]
    assert outbox.send_due(now=NOW + dt.timedelta(hours=1)).claimed == 0
    assert len(smtp) == 2
    assert set(message.deliveries.values_list("status", flat=True)) == {"sent"}
