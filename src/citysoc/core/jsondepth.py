"""JSON read with a nesting limit checked on the raw bytes, before any parser sees them.

Python's `json` module recurses once per `[` or `{`: a 100 KB body of 50,000 brackets
raises RecursionError deep inside the parser, which reaches the user as a 500 (and costs
the worker a deep stack). Real documents citysoc receives (alerts, STIX, MISP, API
bodies) are a few levels deep, so the depth is counted first and anything deeper than
`JSON_MAX_DEPTH` (64 by default) is refused as a bad request with a clear sentence.

The count skips string literals (a `[` inside a quoted value is text, not nesting) and is
vectorised with numpy, so a 10 MB body costs milliseconds.

Django is not imported here: the list formats and alert sources that use this module
are plain Python. Inside citysoc the limit comes from settings and the message is
translated; outside, the default and the English sentence apply.
"""

from __future__ import annotations

import json
import re
import sys

import numpy as np

# An escape inside a string (\" or \\ or \n): removed first, so that every quote left
# opens or closes a string.
_ESCAPE = re.compile(rb"\\.", re.DOTALL)
# Line ends as str.splitlines() sees them in ASCII (JSON lines are split with it).
_LINE_ENDS = b"\n\r\x0b\x0c\x1c\x1d\x1e"
_NOT_STRUCTURE = bytes(c for c in range(256) if c not in b'[]{}"' + _LINE_ENDS)
QUOTE = ord('"')
LINE_END_CODES = np.frombuffer(_LINE_ENDS, dtype=np.uint8)


DEFAULT_MAX_DEPTH = 64


def django_settings():
    """Django's settings if this process has configured them, else None."""
    conf = sys.modules.get("django.conf")
    if conf is not None and conf.settings.configured:
        return conf.settings
    return None


def translated(text: str) -> str:
    """`gettext(text)` inside a configured Django process, `text` elsewhere."""
    if django_settings() is None:
        return text
    from django.utils.translation import gettext

    return gettext(text)


_ = translated  # the name makemessages looks for


class JsonTooDeep(ValueError):
    """The document nests deeper than the limit."""

    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(
            _(
                "The JSON nests deeper than %(limit)d levels (JSON_MAX_DEPTH); no real "
                "document does. Send a flatter document."
            )
            % {"limit": limit}
        )


def max_depth() -> int:
    settings = django_settings()
    return getattr(settings, "JSON_MAX_DEPTH", DEFAULT_MAX_DEPTH) if settings else DEFAULT_MAX_DEPTH


def depth(data: bytes | str) -> int:
    """The deepest nesting of brackets outside string literals (0 for a scalar).

    Made for refusing, not for validating: on broken JSON it never reports less than a
    parser would recurse. A string cannot span lines in JSON, so a newline ends one (a
    stray quote on one line of JSON lines cannot hide the next line's brackets), and a
    stray closing bracket does not count below zero (it cannot hide later openers).
    """
    raw = data.encode("utf-8", errors="replace") if isinstance(data, str) else bytes(data)
    if b"\\" in raw:
        raw = _ESCAPE.sub(b"", raw)
    kept = np.frombuffer(raw.translate(None, _NOT_STRUCTURE), dtype=np.uint8)
    if not kept.size:
        return 0
    # A bracket is inside a string when an odd number of quotes comes before it on its line.
    quotes = np.cumsum(kept == QUOTE, dtype=np.int64)
    line_start = np.maximum.accumulate(np.where(np.isin(kept, LINE_END_CODES), quotes, 0))
    outside = ((quotes - line_start) & 1) == 0
    opens = (kept == ord("[")) | (kept == ord("{"))
    closes = (kept == ord("]")) | (kept == ord("}"))
    level = np.cumsum(np.where(outside, opens.astype(np.int64) - closes, 0))
    floor = np.minimum(np.minimum.accumulate(level), 0)
    return int((level - floor).max(initial=0))


def check_depth(data: bytes | str, limit: int | None = None) -> None:
    """Raise JsonTooDeep when `data` nests deeper than `limit` (JSON_MAX_DEPTH)."""
    limit = max_depth() if limit is None else limit
    raw = data.encode("utf-8", errors="replace") if isinstance(data, str) else data
    # Cheap first: a body with fewer opening brackets than the limit cannot exceed it.
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return
    if depth(raw) > limit:
        raise JsonTooDeep(limit)


def loads(data: bytes | str, limit: int | None = None) -> object:
    """`json.loads` after the depth check; JsonTooDeep is a ValueError like a syntax error."""
    check_depth(data, limit)
    try:
        return json.loads(data)
    except RecursionError:  # deeper than the stack after all (a limit set very high)
        raise JsonTooDeep(max_depth() if limit is None else limit) from None
