"""E-mail through Django's configured mail backend, one message per address.

SMTP 5xx replies (unknown mailbox, relaying denied) are permanent; 4xx replies and
connection problems are transient. The Message-ID is the same on every try of one
delivery, so a mail client shows a repeat (at-least-once sending) as one message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from citysoc.notify.models import Channel, Delivery, Message

import smtplib

from django.core.mail import EmailMessage
from django.core.mail.utils import DNS_NAME

from citysoc.notify.transports.base import TransportError

KIND = "email"
LABEL = "E-mail"


def send(channel: Channel, delivery: Delivery, message: Message) -> None:
    mail = EmailMessage(
        message.subject,
        message.body,
        None,
        [delivery.recipient],
        headers={"Message-ID": message_id(delivery)},
    )
    try:
        mail.send()
    except smtplib.SMTPRecipientsRefused as exc:
        code, reply = next(iter(exc.recipients.values()))
        raise _smtp_error(code, reply, delivery.recipient) from None
    except smtplib.SMTPResponseException as exc:
        raise _smtp_error(exc.smtp_code, exc.smtp_error, delivery.recipient) from None
    except (smtplib.SMTPException, OSError) as exc:
        raise TransportError(f"mail server unreachable: {type(exc).__name__}: {exc}") from None


def _smtp_error(code: int, reply: bytes | str, recipient: str) -> TransportError:
    text = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
    return TransportError(
        f"mail server answered {code} for {recipient}: {text}", permanent=500 <= code < 600
    )


def message_id(delivery: Delivery) -> str:
    return f"<citysoc.delivery.{delivery.pk}@{DNS_NAME}>"
