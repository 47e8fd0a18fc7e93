"""Channel settings by kind: check what an operator typed, and hide the secrets when shown.

One place for the rules, used by the channel form and by the API, so both accept and
refuse the same things. Secrets (tokens, URLs that carry a token, header values) are
write-only: they are never shown back, only masked; leaving one empty on a change keeps
the saved value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citysoc.core import outbound

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

    from citysoc.core.models import Unit

MASK = "••••"

# Which config keys each kind takes, in form order.
KEYS: dict[str, tuple[str, ...]] = {
    "email": ("addresses",),
    "webhook": ("url", "headers"),
    "telegram": ("bot_token", "chat_id", "base_url"),
    "zalo": ("access_token", "user_id", "base_url"),
    "sms_http": ("url_template", "method", "numbers"),
    "apprise": ("url",),
    "people": (),
}
# Kinds citysoc makes itself (one per unit, notify/reach.py): not offered on a form or the API.
MANAGED = frozenset({"people"})
# Keys that are secret: never sent back to a browser or an API client.
SECRETS: dict[str, frozenset[str]] = {
    "email": frozenset(),
    "webhook": frozenset({"url", "headers"}),
    "telegram": frozenset({"bot_token"}),
    "zalo": frozenset({"access_token"}),
    "sms_http": frozenset({"url_template"}),
    "apprise": frozenset({"url"}),
    "people": frozenset(),
}
REQUIRED: dict[str, frozenset[str]] = {
    "email": frozenset({"addresses"}),
    "webhook": frozenset({"url"}),
    "telegram": frozenset({"bot_token", "chat_id"}),
    "zalo": frozenset({"access_token", "user_id"}),
    "sms_http": frozenset({"url_template", "numbers"}),
    "apprise": frozenset({"url"}),
    "people": frozenset(),
}

_BOT_TOKEN = re.compile(r"^\d+:[A-Za-z0-9_-]+$")
_CHAT_ID = re.compile(r"^(-?\d+|@[A-Za-z][A-Za-z0-9_]{3,})$")
_DIGITS = re.compile(r"^\d+$")
_PHONE = re.compile(r"^\+?\d{8,15}$")
_HEADER_NAME = re.compile(r"^[A-Za-z0-9-]+$")
_http_url = URLValidator(schemes=["http", "https"])
# A cleaner turns what was typed into the value to store, or raises ValidationError.
Cleaner = Callable[[object], object]


class ConfigError(ValueError):
    """What is wrong, per config key: {"url": "…", "numbers": "…"}."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def clean_config(
    kind: str,
    raw: dict[str, Any],
    *,
    previous: dict[str, Any] | None = None,
    unit: Unit | None = None,
) -> dict[str, Any]:
    """The config to store for `kind` from what was sent, or ConfigError naming each field.

    A secret left out or empty keeps its `previous` value (a change that does not retype
    the token keeps it). Lists may come as lists or as text, one item per line or comma.
    An address the server may not reach for `unit` (None: city-wide) is refused here
    already when the text shows it (a literal address, localhost).
    """
    if kind not in KEYS:
        raise ConfigError({"kind": _("Unknown channel kind %(kind)s.") % {"kind": kind}})
    if kind in MANAGED:
        raise ConfigError(
            {"kind": _("citysoc keeps this channel itself; add an e-mail channel instead.")}
        )
    previous = previous or {}
    config: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key in KEYS[kind]:
        value = raw.get(key)
        if _empty(value) and key in SECRETS[kind] and not _empty(previous.get(key)):
            config[key] = previous[key]
            continue
        if _empty(value):
            if key in REQUIRED[kind]:
                errors[key] = _("This setting is required.")
            continue
        try:
            config[key] = _cleaner(kind, key)(value)
        except ValidationError as exc:
            errors[key] = " ".join(exc.messages)
    for key in _DESTINATIONS & config.keys() - errors.keys():
        try:
            outbound.validate_url(_probe(str(config[key])), unit)
        except ValidationError as exc:
            errors[key] = " ".join(exc.messages)
    if errors:
        raise ConfigError(errors)
    return config


# Keys whose value says where the server connects.
_DESTINATIONS = frozenset({"url", "base_url", "url_template"})


def _probe(value: str) -> str:
    # A URL template's host is fixed text; fill the placeholders to read it.
    try:
        return value.format(to="0", text="0")
    except (KeyError, IndexError, ValueError):
        return value


def _empty(value: object) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _items(value: object) -> list[str]:
    if isinstance(value, list | tuple):
        parts = [str(v) for v in value]
    else:
        parts = re.split(r"[\n,;]", str(value))
    return [p.strip() for p in parts if p.strip()]


def _addresses(value: object) -> list[str]:
    addresses = _items(value)
    for n, address in enumerate(addresses, 1):
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(
                _("Address %(n)d (%(value)s) is not an e-mail address.")
                % {"n": n, "value": address}
            ) from None
    if not addresses:
        raise ValidationError(_("Give at least one e-mail address."))
    return addresses


def _numbers(value: object) -> list[str]:
    numbers = [re.sub(r"[\s.()-]", "", n) for n in _items(value)]
    for n, number in enumerate(numbers, 1):
        if not _PHONE.match(number):
            raise ValidationError(
                _("Number %(n)d (%(value)s) is not a phone number: 8 to 15 digits, + allowed.")
                % {"n": n, "value": number}
            )
    if not numbers:
        raise ValidationError(_("Give at least one phone number."))
    return numbers


def _url(value: object) -> str:
    text = str(value).strip()
    try:
        _http_url(text)
    except ValidationError:
        raise ValidationError(
            _("Not a web address: it must start with http:// or https://.")
        ) from None
    return text


def _url_template(value: object) -> str:
    text = str(value).strip()
    try:
        probe = text.format(to="0912345678", text="test")
    except (KeyError, IndexError, ValueError):
        raise ValidationError(
            _("The URL template may only use the placeholders {to} and {text}.")
        ) from None
    if "{to}" not in text:
        raise ValidationError(_("The URL template must contain {to}, where the number goes."))
    _url(probe)
    return text


def _headers(value: object) -> dict[str, str]:
    if isinstance(value, dict):
        lines = [f"{k}: {v}" for k, v in value.items()]
    else:
        lines = [line for line in str(value).splitlines() if line.strip()]
    headers: dict[str, str] = {}
    for n, line in enumerate(lines, 1):
        name, sep, header_value = line.partition(":")
        if not sep or not _HEADER_NAME.match(name.strip()) or not header_value.strip():
            raise ValidationError(_("Header line %(n)d must read 'Name: value'.") % {"n": n})
        headers[name.strip()] = header_value.strip()
    return headers


def _pattern(regex: re.Pattern[str], message: str | _StrPromise) -> Cleaner:
    def clean(value: object) -> str:
        text = str(value).strip()
        if not regex.match(text):
            raise ValidationError(message)
        return text

    return clean


def _method(value: object) -> str:
    text = str(value).strip().upper()
    if text not in ("GET", "POST"):
        raise ValidationError(_("The method must be GET or POST."))
    return text


def _apprise_url(value: object) -> str:
    text = str(value).strip()
    if not re.match(r"^[a-z][a-z0-9+.-]*://\S+$", text):
        raise ValidationError(_("An Apprise URL looks like 'tgram://…' or 'mailto://…'."))
    return text


def _text(value: object) -> str:
    return str(value).strip()


_CLEANERS: dict[str, Cleaner] = {
    "addresses": _addresses,
    "numbers": _numbers,
    "url": _url,
    "base_url": _url,
    "url_template": _url_template,
    "headers": _headers,
    "method": _method,
    "bot_token": _pattern(
        _BOT_TOKEN, gettext_lazy("A Telegram bot token looks like 123456789:AA… (from @BotFather).")
    ),
    "chat_id": _pattern(
        _CHAT_ID, gettext_lazy("A Telegram chat id is a number (groups: negative) or @channelname.")
    ),
    "user_id": _pattern(_DIGITS, gettext_lazy("A Zalo user id is a number.")),
    "access_token": _text,
}


def _cleaner(kind: str, key: str) -> Cleaner:
    # An Apprise URL names a service ("tgram://…"), not a web address.
    return _apprise_url if (kind, key) == ("apprise", "url") else _CLEANERS[key]


def masked(kind: str, config: dict[str, Any] | None) -> dict[str, Any]:
    """The config with each secret replaced by a hint that does not reveal it."""
    shown: dict[str, Any] = {}
    for key, value in (config or {}).items():
        if key not in SECRETS.get(kind, ()):
            shown[key] = value
        elif key == "headers" and isinstance(value, dict):
            shown[key] = dict.fromkeys(value, MASK)
        elif key in ("url", "url_template"):
            shown[key] = mask_url(str(value))
        else:
            shown[key] = mask_token(str(value))
    return shown


def mask_token(value: str) -> str:
    # The last characters tell two tokens apart without giving one away.
    return f"{MASK}{value[-4:]}" if len(value) >= 16 else MASK


def mask_url(value: str) -> str:
    parts = urlsplit(value)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return f"{parts.scheme}://{host}/{MASK}" if parts.scheme else MASK
