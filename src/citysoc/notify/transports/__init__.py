"""One module per channel kind, each with KIND, LABEL and send(channel, delivery, message).

send() returns on success and raises TransportError(message, permanent=…) otherwise.
"""

from citysoc.notify.transports import apprise, email, people, sms_http, telegram, webhook, zalo
from citysoc.notify.transports.base import TransportError

TRANSPORTS = {m.KIND: m for m in (email, webhook, telegram, zalo, sms_http, apprise, people)}

__all__ = ["TRANSPORTS", "TransportError"]
