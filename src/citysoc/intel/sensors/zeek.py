"""The Zeek Intel Framework file (tab-separated, one indicator a line)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO
from urllib.parse import urlsplit

from citysoc.intel.sensors.common import (
    IP_KINDS,
    ExportResult,
    SensorIndicator,
    Skip,
    checked,
    export_entries,
    host_or_net,
    is_host,
    line_writer,
    networks,
    one_line,
)

ZEEK_HEADER = "#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\tmeta.url"


def zeek_intel(items: Iterable[SensorIndicator], out: TextIO) -> ExportResult:
    """Zeek Intelligence Framework file, for `redef Intel::read_files += {"/path/file"};`.

    Reference: https://docs.zeek.org/en/current/frameworks/intel.html ("Loading
    Intelligence") and the `Intel::Type` enum in base/frameworks/intel/main.zeek.
    Tab-separated, one `#fields` header; `-` marks an unset optional field. Types:
    addresses `Intel::ADDR`, CIDRs `Intel::SUBNET` (a-b ranges become the minimal CIDR list),
    domains `Intel::DOMAIN` (matched exactly, not their subdomains), URLs `Intel::URL`
    written as Zeek's HTTP::build_url makes them: host, `:port` unless 80, then the path,
    without "http://" (Zeek sees only clear-text HTTP, so https URLs never match), and
    md5/sha1/sha256 `Intel::FILE_HASH` in lower-case hex. `meta.source` is required by Zeek,
    so a record without a source is written with "citysoc". Zeek rereads the file when it
    changes; replace it with `mv`, never by writing in place.
    """
    out.write(ZEEK_HEADER + "\n")
    return export_entries(items, line_writer(out), _zeek_entries)


def _zeek_entries(item: SensorIndicator) -> list[tuple[str, str]]:
    value = checked(item)
    source = one_line(item.source) or "citysoc"
    desc = _zeek_desc(item)
    if item.kind in IP_KINDS:
        pairs = [
            (host_or_net(net), "Intel::ADDR" if is_host(net) else "Intel::SUBNET")
            for net in networks(item)
        ]
    elif item.kind == "domain":
        pairs = [(value, "Intel::DOMAIN")]
    elif item.kind == "url":
        pairs = [(_zeek_url(value), "Intel::URL")]
    else:
        pairs = [(value, "Intel::FILE_HASH")]
    return [(f"{ind}\t{typ}\t{source}", f"{ind}\t{typ}\t{source}\t{desc}\t-") for ind, typ in pairs]


def _zeek_desc(item: SensorIndicator) -> str:
    parts = [one_line(item.family), "C2" if item.c2 else "", one_line(item.version)]
    text = "; ".join(p for p in parts if p)
    # A field that is exactly "-" would read as unset; "" as an empty string is "(empty)".
    return text if text and text != "-" else "-"


def _zeek_url(value: str) -> str:
    try:
        parts = urlsplit(value if "://" in value else "http://" + value)
        port = parts.port
        host = parts.hostname
    except ValueError as exc:
        raise Skip("url: not a valid URL") from exc
    if not host or parts.scheme not in ("http", "https"):
        raise Skip("url: not an http(s) URL")
    default = 80 if parts.scheme == "http" else 443
    netloc = host if port in (None, default) else f"{host}:{port}"
    path = parts.path or "/"
    return netloc + path + (f"?{parts.query}" if parts.query else "")
