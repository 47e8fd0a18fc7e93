"""iptables/nftables kernel LOG lines (`[UFW BLOCK] IN=eth0 OUT= SRC= DST= PROTO= SPT= DPT=`).

One line is one record; an RFC 3164 or RFC 5424 header (`host kernel: [12.34]`) in front
is read and dropped, and Proxmox firewall lines (`0 3 PVEFW-HOST-IN 20/Jun/2022:13:09:14
+0200 policy DROP: IN=…`) are read too. A line is a netfilter record when it has ` SRC=`
and ` DST=` (the engine's own test for the format); other lines are rejected.

The log prefix (`--log-prefix`: `[UFW BLOCK]`, `IPTABLES-DROP:`, `DROP`; for Proxmox the
chain and the action, `PVEFW-HOST-IN policy DROP`) names the alert and decides what it is:

- a prefix saying drop, block, reject or deny → severity low;
- a prefix saying accept, allow or pass → skipped (allowed traffic, not an alert);
- any other prefix, or none → severity info (a LOG rule someone wrote: shown, not urgent).

- `dedup_key`: `prefix|src|<proto>/<dst port>` (ICMP: `icmp/type <n>`): one refused
  service from one address is one alert; a scan of many ports makes one alert per port.
- src_ip `SRC=`, dst_ip `DST=`: both must be IP addresses (else the line is rejected,
  naming the field). host is the syslog host name when there is one.
- summary: `<prefix>: <src> → <dst> <proto>/<port> (in <IN>)`.
- occurred_at: the syslog header's time (RFC 3164 times are Vietnam time of this year),
  else Proxmox's own time, else none (the intake then uses the time received).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from citysoc.alerts.sources import base
from citysoc.alerts.sources import syslog_lines as syslog
from citysoc.alerts.sources.base import Event, Parsed, Payload, RecordError
from citysoc.engine.readers import iptables as engine_reader

NAME = "iptables"
LABEL = "iptables / netfilter kernel log"
EXPECTED = "netfilter kernel log lines (… IN=… OUT=… SRC=… DST=… PROTO=…)"

# The netfilter fields start at the first of IN=, OUT=, PHYSIN=, MAC= or SRC= ...
_FIELDS_START = re.compile(r"(?:^|\s)(?:IN|OUT|PHYSIN|MAC|SRC)=")
_PAIR = re.compile(r"\b([A-Z][A-Z0-9]*)=(\S*)")
_KERNEL_TIME = re.compile(r"^\[\s*\d+\.\d+\]\s*")
# ... and the Proxmox time (the engine's pattern) sits between the chain and the prefix.
_PROXMOX = re.compile(r"^\d+ \d+ (?P<chain>\S+) " + engine_reader.PROXMOX_TIME + r" ?")

REFUSED = re.compile(r"drop|block|reject|deny|denied", re.IGNORECASE)
ALLOWED = re.compile(r"accept|allow|pass", re.IGNORECASE)


def parse(payload: Payload) -> Parsed:
    return syslog.read_lines(base.text(payload, expected=EXPECTED), parse_line, EXPECTED)


def sniff(message: str) -> bool:
    """True when the message (header removed) looks like a netfilter LOG line."""
    return engine_reader.sniff([message])


def parse_line(line: str) -> Event | None:
    """One line → an Event, None when it logs allowed traffic; RecordError when unreadable."""
    header, message = syslog.split_header(line)
    if not sniff(message):
        raise RecordError("not a netfilter log line (no SRC= and DST=)")
    start = _FIELDS_START.search(message)
    head, rest = (message[: start.start()], message[start.start() :]) if start else ("", message)
    prefix, when = _prefix(head)
    if stray := _PAIR.search(prefix):
        raise RecordError(f"unexpected field {stray.group(1)}= before the netfilter fields")
    if ALLOWED.search(prefix) and not REFUSED.search(prefix):
        return None
    record = dict(_PAIR.findall(rest))
    src = base.ip_text(record.get("SRC", ""), path="SRC")
    dst = base.ip_text(record.get("DST", ""), path="DST")
    if not src or not dst:
        raise RecordError("SRC= or DST= is empty")
    service = _service(record)
    name = prefix or "netfilter log"
    where = f" (in {record['IN']})" if record.get("IN") else ""
    return Event(
        action="trigger",
        dedup_key=base.key(prefix, src, service),
        severity="low" if REFUSED.search(prefix) else "info",
        source=NAME,
        summary=base.one_line(f"{name}: {src} → {dst} {service}{where}"),
        details=_details(record, prefix, header),
        occurred_at=header.time or when,
        host=header.host,
        src_ip=src,
        dst_ip=dst,
    )


def _prefix(head: str) -> tuple[str, datetime | None]:
    """The log prefix (and the Proxmox time) from the text before the netfilter fields."""
    head = _KERNEL_TIME.sub("", head.strip())
    proxmox = _PROXMOX.match(head)
    when = None
    if proxmox:
        when = datetime.strptime(proxmox.group("time"), "%d/%b/%Y:%H:%M:%S %z")
        head = f"{proxmox.group('chain')} {head[proxmox.end() :]}"
    return head.strip().rstrip(":").strip(), when


def _service(record: dict[str, str]) -> str:
    proto = record.get("PROTO", "").lower() or "-"
    if proto in ("icmp", "icmpv6") and record.get("TYPE"):
        return f"{proto}/type {record['TYPE']}"
    return f"{proto}/{record['DPT']}" if record.get("DPT") else proto


DETAIL_FIELDS = ("IN", "OUT", "PHYSIN", "PHYSOUT", "PROTO", "SPT", "DPT", "TYPE", "LEN", "TTL")


def _details(record: dict[str, str], prefix: str, header: syslog.Header) -> dict[str, Any]:
    details = {name.lower(): record[name] for name in DETAIL_FIELDS if record.get(name)}
    details["prefix"] = prefix
    if header.host:
        details["device"] = header.host
    return details
