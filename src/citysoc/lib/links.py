"""Which URLs typed or received from outside may become a clickable link."""

from __future__ import annotations

from urllib.parse import urlsplit

# Only web addresses: javascript:, data:, vbscript:, file: and the like run
# script or reach the viewer's own machine when clicked.
SAFE_SCHEMES = frozenset({"http", "https"})


def is_safe_external_url(url: object) -> bool:
    """True when `url` is an absolute http(s) address with a host.

    Browsers drop tabs and line breaks inside a scheme ("java\\tscript:" runs)
    and leading control characters, so any ASCII control character makes the
    URL unsafe rather than being cleaned up here.
    """
    if not isinstance(url, str):
        return False
    text = url.strip()
    if not text or any(ord(c) < 0x20 or ord(c) == 0x7F for c in text):
        return False
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme.lower() in SAFE_SCHEMES and bool(parts.netloc)
