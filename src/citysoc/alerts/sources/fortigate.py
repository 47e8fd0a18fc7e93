"""FortiGate key=value syslog (`date= time= devname= logid= type= subtype= level= …`).

One line is one record; an RFC 3164 or RFC 5424 header (or a bare `<PRI>`) in front is
read and dropped. A line is a FortiGate record when it has `type=` and `logid=` or
`devname=` (the engine's own test for the format); other lines are rejected.

Which lines are alerts (the rest are counted in `skipped`):

- utm ips, anomaly, virus (FortiOS 5: type=ips, …): always; they log only what matched.
- other utm subtypes (webfilter, app-ctrl, dns, dlp, emailfilter, waf, file-filter, ssl,
  …): when `action` blocks (block, blocked, deny, dropped, reset, …) or `level` is
  warning or worse.
- event (system, vpn, user, …): when `level` is warning or worse.
- traffic: when `action` is deny/block/drop/reset (a policy refused the session); low.

Allowed traffic (`accept`, `close`, `timeout`, `dns`, `ip-conn`, …) is skipped whatever its
level: a FortiGate marks some allowed sessions "warning" (risk score), which is not an alert.

- `level` → severity through the shared table (`alerts/severity.py`, syslog's levels):
  emergency, alert, critical → critical; error → high; warning → medium; notice → low;
  information, debug → info. The IPS/anomaly `severity=` (critical, high, medium, low,
  info) wins when present; the word used is kept as the event's `severity_word`.
- `dedup_key`:
  - utm: `<subtype>:<what>|src|dst`, what = `attackid` (else `attack`), `virus`, the
    blocked `hostname`/`qname`/`url`, `app`, or `logid`: one signature between the same
    two addresses is one problem, whatever the ports;
  - event: `event:<subtype>:<logid>|src|-`: for example every SSL-VPN login failure
    from one address is one alert whose count grows (a brute force);
  - traffic: `traffic:deny|src|<proto>/<dstport>`: one refused service from one address.
- src_ip is `srcip=` (else `remip=`, the VPN peer), dst_ip `dstip=`; an address that is
  not an IP rejects the line, naming the field. host is `devname=`.
- summary: the attack, virus or `msg=`/`logdesc=` text with the action and addresses.
- occurred_at: `date=` `time=` with `tz=` when given, else `eventtime=` (epoch, s to ns),
  else `date= time=` in Vietnam time; else the syslog header's time.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from citysoc.alerts import severity
from citysoc.alerts.sources import base
from citysoc.alerts.sources import syslog_lines as syslog
from citysoc.alerts.sources.base import Event, Parsed, Payload, RecordError
from citysoc.engine.readers import fortigate as engine_reader

NAME = "fortigate"
LABEL = "FortiGate key=value syslog"
EXPECTED = "FortiGate key=value log lines (date=… time=… type=… …)"

_PAIR = re.compile(r'([A-Za-z_][\w-]*)=("(?:[^"\\]|\\.)*"|\S*)')
_OFFSET = re.compile(r"^([+-])(\d\d):?(\d\d)$")

ALWAYS_ALERTS = {"ips", "anomaly", "virus"}
BLOCKING = {"block", "blocked", "deny", "denied", "drop", "dropped", "reset", "reject"}
BLOCKING |= {"quarantine", "ban", "clear_session", "server-rst-block"}
ALERT_LEVELS = {"emergency", "alert", "critical", "error", "warning"}


def parse(payload: Payload) -> Parsed:
    return syslog.read_lines(base.text(payload, expected=EXPECTED), parse_line, EXPECTED)


def sniff(message: str) -> bool:
    """True when the message (header removed) looks like a FortiGate log line."""
    return engine_reader.sniff([message])


def fields(message: str) -> dict[str, str]:
    """The key=value pairs of a line; quoted values lose their quotes (and escapes)."""
    pairs: dict[str, str] = {}
    for name, value in _PAIR.findall(message):
        if value.startswith('"') and value.endswith('"') and len(value) >= 2:
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        pairs.setdefault(name, value)
    return pairs


def parse_line(line: str) -> Event | None:
    """One line → an Event, None when it is not an alert; RecordError when unreadable."""
    header, message = syslog.split_header(line)
    if not sniff(message):
        raise RecordError("not a FortiGate log line (no type= with logid= or devname=)")
    record = fields(message)
    kind = record.get("type", "")
    subtype = record.get("subtype", "")
    if kind == "traffic":
        if record.get("action", "").lower() not in BLOCKING:
            return None
        src, _dst = _ends(record)
        return _event(record, header, "low", base.key("traffic:deny", src, _port(record)))
    if kind == "event":
        if record.get("level", "").lower() not in ALERT_LEVELS:
            return None
        what = f"event:{subtype or '-'}:{record.get('logid') or record.get('logdesc', '-')}"
        return _event(record, header, _severity(record), base.key(what, _ends(record)[0], ""))
    # FortiOS 6+ says type=utm subtype=ips; FortiOS 5 said type=ips.
    family = subtype if kind == "utm" else kind
    if not family:
        raise RecordError(f"type={kind!r} has no subtype: cannot tell what it reports")
    if family not in ALWAYS_ALERTS and not _blocked_or_loud(record):
        return None
    src, dst = _ends(record)
    return _event(
        record, header, _severity(record), base.key(f"{family}:{_what(record)}", src, dst)
    )


def _blocked_or_loud(record: dict[str, str]) -> bool:
    action = record.get("action", "").lower()
    return action in BLOCKING or record.get("level", "").lower() in ALERT_LEVELS


def _what(record: dict[str, str]) -> str:
    for name in ("attackid", "attack", "virus", "hostname", "qname", "url", "app", "logid"):
        if record.get(name):
            return record[name]
    return "-"


def _ends(record: dict[str, str]) -> tuple[str, str]:
    # srcip first, the VPN peer (remip) when there is none: the engine's reader does the same.
    src_field = "srcip" if record.get("srcip") else "remip"
    src = base.ip_text(record.get(src_field, ""), path=src_field)
    return src, base.ip_text(record.get("dstip", ""), path="dstip")


def _port(record: dict[str, str]) -> str:
    proto = {"6": "tcp", "17": "udp", "1": "icmp", "58": "icmp6"}.get(record.get("proto", ""))
    port = record.get("dstport", "")
    return f"{proto or record.get('proto') or '-'}/{port or '-'}"


def _severity_word(record: dict[str, str]) -> str:
    """The IPS/anomaly `severity=` when it is a word we know, else the log `level=`."""
    stated = record.get("severity", "")
    return stated if severity.level_of(stated) else record.get("level", "")


def _severity(record: dict[str, str]) -> str:
    return severity.level_of(_severity_word(record)) or "info"


def _event(record: dict[str, str], header: syslog.Header, level: str, key: str) -> Event:
    src, dst = _ends(record)
    return Event(
        action="trigger",
        dedup_key=key,
        severity=level,
        # denied traffic is low whatever its level=, so there is no word of the tool to show
        severity_word="" if record.get("type") == "traffic" else _severity_word(record)[:40],
        source=NAME,
        summary=base.one_line(_summary(record, src, dst)),
        details=_details(record),
        occurred_at=_time(record) or header.time,
        host=record.get("devname") or header.host,
        src_ip=src,
        dst_ip=dst,
    )


def _summary(record: dict[str, str], src: str, dst: str) -> str:
    text = (
        record.get("attack")
        or record.get("virus")
        or record.get("logdesc")
        or record.get("msg")
        or f"{record.get('type')} {record.get('subtype', '')}".strip()
    )
    if record.get("type") == "traffic":
        text = f"Denied {record.get('service') or _port(record)}"
    elif not (record.get("attack") or record.get("virus")):
        site = record.get("hostname") or record.get("qname")
        text = f"{site}: {text}" if site else text
    action = record.get("action", "")
    between = " → ".join(a for a in (src, dst) if a)
    user = record.get("user", "")
    extra = ", ".join(x for x in (action, f"user {user}" if user not in ("", "N/A") else "") if x)
    return f"{text}{f' ({extra})' if extra else ''}{f': {between}' if between else ''}"


DETAIL_FIELDS = (
    "devname", "devid", "vd", "logid", "type", "subtype", "level", "action", "attack",
    "attackid", "severity", "virus", "msg", "logdesc", "reason", "srcport", "dstport",
    "proto", "service", "policyid", "srcintf", "dstintf", "user", "hostname", "qname",
    "url", "app", "catdesc", "crlevel", "ref",
)  # fmt: skip


def _details(record: dict[str, str]) -> dict[str, Any]:
    return {name: record[name] for name in DETAIL_FIELDS if record.get(name) not in (None, "")}


def _time(record: dict[str, str]) -> datetime | None:
    date, clock = record.get("date", ""), record.get("time", "")
    local = None
    if date and clock:
        try:
            local = datetime.fromisoformat(f"{date}T{clock}")
        except ValueError:
            raise RecordError(f"date={date!r} time={clock!r} is not a date and time") from None
    offset = _offset(record.get("tz", ""))
    if local is not None and offset is not None:
        return local.replace(tzinfo=offset)
    epoch = _epoch(record.get("eventtime", ""))
    if epoch is not None:
        return epoch
    return local.replace(tzinfo=syslog.LOCAL_ZONE) if local is not None else None


def _offset(text: str) -> timezone | None:
    match = _OFFSET.match(text.strip())
    if match is None:
        return None
    sign, hours, minutes = match.groups()
    delta = timedelta(hours=int(hours), minutes=int(minutes))
    return timezone(-delta if sign == "-" else delta)


def _epoch(text: str) -> datetime | None:
    # eventtime is seconds, milliseconds, microseconds or nanoseconds depending on FortiOS.
    if not text.isdigit():
        return None
    value = int(text)
    for digits, scale in ((18, 1e9), (15, 1e6), (12, 1e3)):
        if len(text) >= digits:
            return datetime.fromtimestamp(value / scale, tz=UTC)
    return datetime.fromtimestamp(value, tz=UTC)
