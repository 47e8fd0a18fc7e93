"""The unit's officers by e-mail: made by citysoc, recipients chosen per message by role."""

from citysoc.notify import configs, outbox, reach
from citysoc.notify.models import Channel, Delivery
from tests.notify.transports.support import golden


def test_one_officers_channel_per_unit_reaches_the_roles_a_message_names(
    db, smtp, unit_a, officer_a, operator_a, viewer_a
):
    roles = golden("people/roles.json")
    reminder_roles, gap_roles = roles["reminder_roles"], [roles["test_reaches"]]
    reach.tell_unit(unit_a, "Reminder", "…", topic="directives.reminder", roles=reminder_roles)
    reach.tell_unit(unit_a, "Roster gaps", "…", topic="duty.gaps", roles=gap_roles)
    assert Channel.objects.filter(unit=unit_a, kind="people").count() == 1
    outbox.send_due()
    reminder = sorted(m["To"] for m in smtp if m["Subject"] == "Reminder")
    assert reminder == sorted([officer_a.email, operator_a.email])
    assert [m["To"] for m in smtp if m["Subject"] == "Roster gaps"] == [officer_a.email]
    # A Test of the channel reaches the unit's administrators.
    assert Channel.objects.people_of(unit_a.pk).recipients() == [officer_a.email]


def test_a_refused_mailbox_fails_that_delivery_and_keeps_the_channel_on(db, unit_a, officer_a):
    from citysoc.notify.transports.base import TransportError

    channel = Channel.objects.people_of(unit_a.pk)
    message = outbox.enqueue("x", "y", [channel], topic="t", recipients={channel.pk: ["a@x.vn"]})
    delivery = message.deliveries.get()
    outbox._after_error(
        delivery, TransportError("550 no such user", permanent=True), outbox.timezone.now()
    )
    channel.refresh_from_db()
    assert channel.enabled
    assert Delivery.objects.get(pk=delivery.pk).status == "dead"


def test_nobody_can_add_an_officers_channel_by_hand():
    import pytest

    with pytest.raises(configs.ConfigError, match="citysoc"):
        configs.clean_config("people", {})
