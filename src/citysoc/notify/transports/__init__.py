"""One module per channel kind, each with KIND, LABEL and send(channel, delivery, message).

send() returns on success and raises TransportError(message, permanent=…) otherwise.
"""

from citysoc.notify.transports import apprise, email, people, sms_http, telegram, webhook, zalo
from citysoc.notify.transports.base import Transport, TransportError

# Typed with the Protocol so mypy checks every module has KIND, LABEL and send() as declared.
_MODULES: tuple[Transport, ...] = (email, webhook, telegram, zalo, sms_http, apprise, people)
TRANSPORTS: dict[str, Transport] = {m.KIND: m for m in _MODULES}

__all__ = ["TRANSPORTS", "Transport", "TransportError"]
