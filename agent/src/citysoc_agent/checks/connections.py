"""Live connections and the DNS cache against the C2 addresses and domains of the job.

Matched here, on the host, with plain sets: the server sends the current indicator list
version's C2 addresses and domains (from intel), so offline bundles match the same way. A
connection to a listed address is evidence of infection (score 100), with its process.
"""

from __future__ import annotations

import ipaddress
import re
import shutil
import subprocess  # noqa: S404 - fixed system commands, no shell
import sys
from typing import Any

from citysoc_agent.checks.base import Context, FileItem, Finding, Skip

NAME = "connections"
LABEL = "Live connections and DNS cache vs C2 list"
SCOPE = "host"


def prepare(ctx: Context) -> Any:
    indicators = ctx.job.get("indicators") or {}
    addresses = {_normal(a) for a in indicators.get("addresses", [])} - {""}
    domains = {d.strip().lower().rstrip(".") for d in indicators.get("domains", [])} - {""}
    if not addresses and not domains:
        raise Skip("the indicator list has no C2 addresses or domains")
    return ctx, addresses, domains, str(indicators.get("version", ""))


def _normal(address: str) -> str:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return ""


def run(prepared: Any, item: FileItem | None) -> list[Finding]:
    ctx, addresses, domains, version = prepared
    conns = live_connections()
    names = dns_cache()
    ctx.summary["connections"] = {"checked": len(conns), "dns_names": len(names)}
    found = [
        Finding(
            check=NAME,
            kind="connection",
            score=100,
            title=f"connection to listed C2 {remote}:{port}",
            remote=f"{remote}:{port}",
            process=process,
            pid=pid,
            detail={"list": version, "local": local},
        )
        for remote, port, local, pid, process in conns
        if remote in addresses
    ]
    found += [
        Finding(
            check=NAME,
            kind="dns",
            score=90,
            title=f"DNS cache holds listed C2 domain {name}",
            remote=name,
            detail={"list": version},
        )
        for name in names
        if _listed(name, domains)
    ]
    return found


def _listed(name: str, domains: set[str]) -> bool:
    parts = name.lower().rstrip(".").split(".")
    return any(".".join(parts[i:]) in domains for i in range(len(parts)))


def live_connections() -> list[tuple[str, int, str, int | None, str]]:
    """(remote address, remote port, local address, pid, process name) of every connection."""
    try:
        import psutil
    except ImportError as exc:
        raise Skip("psutil is not installed (pip install psutil)") from exc
    rows = []
    names: dict[int, str] = {}
    for conn in psutil.net_connections(kind="inet"):
        if not conn.raddr or conn.status == "TIME_WAIT":  # closed: no process to name
            continue
        pid = conn.pid
        if pid is not None and pid not in names:
            try:
                names[pid] = psutil.Process(pid).name()
            except (psutil.Error, OSError):
                names[pid] = ""
        remote = _normal(conn.raddr.ip.split("%")[0])
        local = f"{conn.laddr.ip}:{conn.laddr.port}" if conn.laddr else ""
        rows.append((remote, conn.raddr.port, local, pid, names.get(pid or -1, "")))
    return rows


def dns_cache() -> list[str]:
    """Names in the resolver cache: Windows `ipconfig /displaydns`; elsewhere none kept."""
    if sys.platform != "win32" or not shutil.which("ipconfig"):
        return []
    out = subprocess.run(  # noqa: S603
        ["ipconfig", "/displaydns"], capture_output=True, text=True, timeout=60, check=False
    ).stdout
    return sorted(set(parse_displaydns(out)))


def parse_displaydns(text: str) -> list[str]:
    # "Record Name . . . . . : example.com" (the label is translated on localised Windows,
    # the layout is not: the name is the value after the dotted leader on the record line).
    return [
        m.group(1).lower()
        for m in re.finditer(r"^\s*Record Name[ .]*:\s*(\S+)\s*$", text, re.MULTILINE)
    ]
