"""Log readers: one module per format, registered in READERS (STYLE.md §9.6).

Each module has NAME, LABEL, HAS_DOMAINS, `sniff(head_lines) -> bool`,
`parse_lines(lines, state) -> pa.Table` and `read(path, **options)` which streams record
tables (record, time, src, dst, domain). `detect(path)` picks the format from the first
lines of a file (plain or gzip).
"""

from __future__ import annotations

from pathlib import Path

from citysoc.engine.readers import (
    base,
    bind,
    csv,
    dnsmasq,
    fortigate,
    iptables,
    paloalto,
    pfsense,
    squid,
    suricata_eve,
    windows_firewall,
    zeek_json,
    zeek_tsv,
)
from citysoc.engine.readers.base import ReaderModule

# Typed with the Protocol so mypy checks every module has the names and signatures it declares.
_ENTRIES: tuple[ReaderModule, ...] = (
    csv,
    zeek_tsv,
    zeek_json,
    suricata_eve,
    fortigate,
    iptables,
    pfsense,
    paloalto,
    windows_firewall,
    squid,
    bind,
    dnsmasq,
)
READERS: dict[str, ReaderModule] = {m.NAME: m for m in _ENTRIES}
# Most specific first: e.g. a pfSense line also looks like generic syslog.
DETECT_ORDER = (
    "zeek_tsv",
    "windows_firewall",
    "suricata_eve",
    "zeek_json",
    "pfsense",
    "paloalto",
    "fortigate",
    "iptables",
    "bind",
    "dnsmasq",
    "squid",
    "csv",
)
HEAD_BYTES = 64 << 10


def head_lines(path: str | Path, limit: int = 30) -> list[str]:
    with base.open_binary(path) as stream:
        head = stream.read(HEAD_BYTES)
    text = head.decode("utf-8", errors="replace").splitlines()
    return [line.rstrip("\r") for line in text if line.strip()][:limit]


def detect(path: str | Path) -> ReaderModule:
    """The reader whose sniff() accepts the file's first lines; ReaderError if none does."""
    head = head_lines(path)
    if not head:
        return READERS["csv"]  # empty file: any reader yields nothing
    for name in DETECT_ORDER:
        if READERS[name].sniff(head):
            return READERS[name]
    raise base.ReaderError(
        f"cannot tell the log format of {path}; pass --format with one of: "
        + ", ".join(sorted(READERS))
    )
