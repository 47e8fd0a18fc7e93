"""Every message a unit or a person receives goes through the outbox.

So "who was told, when, how" is answered for every message, and retries follow one
schedule. Only the e-mail transport talks to Django's mail API; a test walks the source.
"""

from __future__ import annotations

import re
from pathlib import Path

import citysoc

SOURCE = Path(citysoc.__file__).resolve().parent
MAIL_API = re.compile(
    r"\b(send_mail|send_mass_mail|mail_admins|mail_managers|EmailMessage|EmailMultiAlternatives|"
    r"get_connection)\b"
)
TRANSPORT = SOURCE / "notify" / "transports" / "email.py"
# A phishing drill's e-mails are the simulated attack itself, not messages to a unit: they
# must not appear on the outbox page the unit's officers read (that would give the drill
# away) nor be retried on the outbox's schedule. The drill keeps its own per-recipient
# send state instead (awareness/drills.py).
ALLOWED = {TRANSPORT, SOURCE / "awareness" / "drills.py"}


def test_only_the_email_transport_uses_djangos_mail_api():
    users = sorted(
        str(path.relative_to(SOURCE))
        for path in SOURCE.rglob("*.py")
        if path not in ALLOWED and MAIL_API.search(path.read_text(encoding="utf-8"))
    )
    assert users == [], "send through citysoc.notify.reach / outbox instead"


def test_the_walk_sees_the_email_transport():
    assert MAIL_API.search(TRANSPORT.read_text(encoding="utf-8"))
