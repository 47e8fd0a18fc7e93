"""Address claims (approve / reject a waiting host or range): POST-only actions of city
roles; the sweep's hosts and ranges are the objects they act on."""

from __future__ import annotations

POST_ONLY = {
    "inventory:host-decide",
    "inventory:range-decide",
    "host-approve",
    "host-reject",
    "range-approve",
    "range-reject",
}


def build(unit, officer, letter: str, third_octets: str) -> dict[str, int]:
    return {}
