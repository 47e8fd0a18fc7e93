import datetime

from django.test import override_settings

from citysoc.inventory import reminders
from citysoc.inventory.models import InformationSystem
from citysoc.notify import outbox
from tests.factories import make_system
from tests.support.smtp import smtp_server


def test_unit_admins_get_their_unapproved_systems_by_real_smtp(
    unit_a, unit_b, officer_a, officer_b
):
    make_system(unit_a, name="Cổng thông tin phường", level=2)
    make_system(
        unit_b,
        name="Một cửa điện tử",
        level=3,
        dossier_status=InformationSystem.Dossier.APPROVED,
        decision_number="12/QĐ-UBND",
        decision_date=datetime.date(2025, 3, 1),
    )
    with (
        smtp_server() as (port, inbox),
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
        ),
    ):
        result = reminders.remind_unapproved_levels()
        outbox.send_due()
        assert reminders.remind_unapproved_levels().emails == 1  # again: not twice a day
        outbox.send_due()
    assert result.systems == 1
    assert result.emails == 1
    assert len(inbox) == 1
    assert inbox[0]["To"] == officer_a.email
    body = inbox[0].get_payload(decode=True).decode()
    assert "Cổng thông tin phường" in body
    assert "Một cửa điện tử" not in body
