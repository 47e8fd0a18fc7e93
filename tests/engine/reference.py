"""The slow, obvious reference matcher, written with `ipaddress` and plain loops.

The engine must agree with it on every input; nothing here is clever on purpose.
"""

from __future__ import annotations

import ipaddress


def _address(text: str):
    try:
        ip = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if ip.version == 6 and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def parse_indicator(text: str):
    """('net', first, last, version) or ('domain', name) or None."""
    text = text.strip()
    if "-" in text and "/" not in text:
        left, right = text.split("-", 1)
        a, b = _address(left), _address(right)
        if a is not None and b is not None:
            return ("net", int(a), int(b), a.version)
    try:
        net = ipaddress.ip_network(text, strict=True)
    except ValueError:
        net = None
    if net is not None:
        if net.version == 6 and net.network_address.ipv4_mapped is not None and net.prefixlen >= 96:
            first = int(net.network_address.ipv4_mapped)
            return ("net", first, first + net.num_addresses - 1, 4)
        return ("net", int(net.network_address), int(net.broadcast_address), net.version)
    name = text.lower().rstrip(".")
    if "." in name and all(part for part in name.split(".")) and any(c.isalpha() for c in name):
        return ("domain", name.encode("idna").decode() if not name.isascii() else name)
    return None


def match_ip(indicators: list[str], text: str) -> set[int]:
    return match_ips(indicators, [text])[0]


def match_ips(indicators: list[str], texts: list[str]) -> list[set[int]]:
    """For each address, the positions of the indicators that contain it."""
    parsed_all = [parse_indicator(ind) for ind in indicators]
    return [_match_one(parsed_all, text) for text in texts]


def _match_one(parsed_all: list, text: str) -> set[int]:
    ip = _address(text)
    if ip is None:
        return set()
    found = set()
    for k, parsed in enumerate(parsed_all):
        in_family = parsed and parsed[0] == "net" and parsed[3] == ip.version
        if in_family and parsed[1] <= int(ip) <= parsed[2]:
            found.add(k)
    return found


def match_domain(indicators: list[str], name: str) -> set[int]:
    name = name.lower().rstrip(".")
    found = set()
    for k, ind in enumerate(indicators):
        parsed = parse_indicator(ind)
        if parsed and parsed[0] == "domain":
            listed = parsed[1]
            if name == listed or name.endswith("." + listed):
                found.add(k)
    return found
