"""Domain name normalisation: lower case, no trailing dot, IDN as punycode."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


class DomainError(ValueError):
    """The text is not a usable domain name."""


def normalize_domain(text: str) -> str:
    """'Xã-Yên.gov.VN.' -> 'xn--x-yn-...gov.vn'; a URL gives its host."""
    raw = (text or "").strip()
    if "://" in raw:
        raw = urlsplit(raw).hostname or ""
    raw = raw.rstrip(".").lower()
    if not raw:
        raise DomainError("empty domain name")
    try:
        ascii_name = raw.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise DomainError(f"'{text}' is not a valid domain name") from exc
    labels = ascii_name.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        raise DomainError(f"'{text}' is not a valid domain name")
    return ascii_name


def parents(name: str) -> list[str]:
    """'a.b.gov.vn' -> ['a.b.gov.vn', 'b.gov.vn', 'gov.vn'] (stops before the last label)."""
    labels = name.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)]
