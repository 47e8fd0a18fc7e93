"""The severity words monitoring tools send, onto our five levels: one table for every source.

A tool says how bad something is in its own words: syslog's eight levels (names and numbers
0–7), Nagios/Icinga states, Zabbix's six severities, Alertmanager's `severity` label, a
firewall's `level=`. Each word means the same level whichever source carries it, so a
"warning" from a script, from Alertmanager and from a FortiGate is always medium. The
source keeps the word as it was sent on the event (`Event.severity_word`), and the alert
page shows it next to our level.

Syslog's eight levels go onto five by urgency: emerg, alert and crit (0–2) are critical,
err (3) high, warning (4) medium, notice (5) low, info and debug (6–7) info. A level the
tool could not name ("unknown", Zabbix "Not classified") is medium, not low: nobody has
said it is harmless.

Numeric scales that are not syslog's (Suricata 1–3, Wazuh 0–15) stay in their own source
modules: a number means something different in each of them. No Django here: the sources
import it.
"""

from __future__ import annotations

import re
import unicodedata

LEVELS = ("critical", "high", "medium", "low", "info")

# word (any case, with or without diacritics) -> level. Grouped by vocabulary for review;
# a word listed twice must agree (a test checks it).
WORDS: dict[str, str] = {
    # ours
    "critical": "critical",
    "high": "high",
    "medium": "medium",
    "low": "low",
    "info": "info",
    # syslog (RFC 5424 names and the aliases of syslog.conf)
    "emerg": "critical",
    "emergency": "critical",
    "panic": "critical",
    "alert": "critical",
    "crit": "critical",
    "err": "high",
    "error": "high",
    "warning": "medium",
    "warn": "medium",
    "notice": "low",
    "informational": "info",
    "information": "info",
    "debug": "info",
    # Nagios / Icinga service and host states
    "unknown": "medium",
    "ok": "info",
    "down": "high",
    "unreachable": "medium",
    "up": "info",
    # Zabbix trigger severities
    "disaster": "critical",
    "average": "medium",
    "not classified": "medium",
    # Alertmanager `severity` labels in common rule sets, and ticketing words
    "page": "critical",
    "fatal": "critical",
    "major": "high",
    "severe": "high",
    "moderate": "medium",
    "minor": "low",
    "none": "info",
    # Vietnamese, for local scripts and tools
    "khẩn cấp": "critical",
    "nghiêm trọng": "critical",
    "cao": "high",
    "lỗi": "high",
    "cảnh báo": "medium",
    "trung bình": "medium",
    "thấp": "low",
    "thông tin": "info",
}

# syslog severity numbers (RFC 5424 table 2): 0 emerg … 7 debug.
SYSLOG_NUMBERS: dict[int, str] = {
    0: "critical",
    1: "critical",
    2: "critical",
    3: "high",
    4: "medium",
    5: "low",
    6: "info",
    7: "info",
}


def _fold(word: str) -> str:
    raw = unicodedata.normalize("NFKD", word).replace("đ", "d").replace("Đ", "d")
    plain = "".join(c for c in raw if not unicodedata.combining(c)).lower()
    return re.sub(r"[\s_\-]+", " ", plain).strip()


_TABLE = {_fold(word): level for word, level in WORDS.items()}


def level_of(value: object) -> str | None:
    """Our level for a tool's severity word or syslog number; None when we do not know it.

    "Warning", "WARN", "warning" and 4 are all medium; "Not classified" and
    "not_classified" are the same word; true/false are not numbers.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return SYSLOG_NUMBERS.get(value)
    if not isinstance(value, str):
        return None
    word = value.strip()
    if word.isdigit():
        return SYSLOG_NUMBERS.get(int(word))
    return _TABLE.get(_fold(word))


def as_sent(value: object) -> str:
    """The word as the tool sent it, for the alert page (at most 40 characters)."""
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value).strip()[:40]
