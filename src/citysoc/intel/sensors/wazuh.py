"""The Wazuh CDB list (key:value lines, keys unique)."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import TextIO

from citysoc.intel.sensors.common import (
    IP_KINDS,
    ExportResult,
    IpNetwork,
    SensorIndicator,
    Skip,
    checked,
    export_entries,
    is_host,
    line_writer,
    networks,
    one_line,
)


def wazuh_cdb(items: Iterable[SensorIndicator], out: TextIO) -> ExportResult:
    """Wazuh CDB list source file (`key:value` lines), for `<list>etc/lists/name</list>`.

    Reference: https://documentation.wazuh.com/current/user-manual/ruleset/cdb-list.html
    The value is the family, else the list name. A key containing ':' (IPv6, URLs) is
    quoted, as the page says for MAC addresses. Wazuh's `address_match_key` lookup tries
    the exact address and then the address cut back to each '.' ("10.1.2.", "10.1.",
    "10."), so it only understands IPv4 networks on octet boundaries: a /8, /16 or /24
    becomes one prefix key and any other prefix length is split into the next finer octet
    boundary (a /20 into 16 "a.b.c." keys, a /26 into 64 addresses) so nothing outside the
    network matches. IPv6 has no dotted prefix, so IPv6 subnets are skipped and IPv6
    addresses match only when the log writes them in the same compressed form.
    Domains, URLs and hashes are exact keys (use `lookup="match_key"`).
    """
    return export_entries(items, line_writer(out), _wazuh_entries)


def _wazuh_entries(item: SensorIndicator) -> list[tuple[str, str]]:
    value = checked(item)
    if '"' in value:
        raise Skip(f"{item.kind}: contains a double quote, which a CDB key cannot hold")
    meta = one_line(item.family) or one_line(item.source)
    if item.kind in IP_KINDS:
        keys = [key for net in networks(item) for key in _wazuh_keys(net)]
    elif item.kind == "domain":
        keys = [value]
    else:
        keys = [value]
    return [(key, f"{_wazuh_quote(key)}:{meta}") for key in keys]


def _wazuh_keys(net: IpNetwork) -> list[str]:
    if isinstance(net, ipaddress.IPv6Network):
        if not is_host(net):
            raise Skip("IPv6 subnet: Wazuh CDB lists match IPv6 addresses only exactly")
        return [str(net.network_address)]
    boundary = max(8, -(-net.prefixlen // 8) * 8)  # round up to a multiple of 8
    if boundary == 32:
        return [str(a) for a in net]
    octets = boundary // 8
    return [
        ".".join(str(sub.network_address).split(".")[:octets]) + "."
        for sub in net.subnets(new_prefix=boundary)
    ]


def _wazuh_quote(key: str) -> str:
    return f'"{key}"' if ":" in key else key
