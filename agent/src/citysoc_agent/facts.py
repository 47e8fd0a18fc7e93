"""What the host says about itself at enrolment: name, OS, addresses, users, software."""

from __future__ import annotations

import platform
import shutil
import socket
import subprocess  # noqa: S404 - fixed package-manager commands, no shell
import sys
from pathlib import Path
from typing import Any

from citysoc_agent import VERSION

MAX_SOFTWARE = 3000


def collect(*, software: bool = True) -> dict[str, Any]:
    ips, macs = addresses()
    return {
        "hostname": socket.gethostname(),
        "os": platform.system(),
        "os_version": platform.release() + " " + platform.version(),
        "machine_id": machine_id(),
        "ips": ips,
        "macs": macs,
        "users": users(),
        "software": installed_software() if software else [],
        "agent_version": VERSION,
    }


def addresses() -> tuple[list[str], list[str]]:
    """Non-loopback IP addresses and MAC addresses of the host's interfaces."""
    try:
        import psutil
    except ImportError:
        return _addresses_without_psutil(), []
    ips, macs = [], []
    for nics in psutil.net_if_addrs().values():
        for nic in nics:
            if nic.family in (socket.AF_INET, socket.AF_INET6):
                ip = nic.address.split("%")[0]
                if not ip.startswith(("127.", "::1", "fe80")):
                    ips.append(ip)
            elif nic.address and len(nic.address) == 17 and nic.address != "00:00:00:00:00:00":
                macs.append(nic.address.replace("-", ":").lower())
    return sorted(set(ips)), sorted(set(macs))


def _addresses_without_psutil() -> list[str]:
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None)
    except OSError:
        return []
    return sorted({str(i[4][0]) for i in infos if not str(i[4][0]).startswith(("127.", "::1"))})


def users() -> list[str]:
    try:
        import psutil
    except ImportError:
        return []
    return sorted({u.name for u in psutil.users()})


def machine_id() -> str:
    """A stable id of the installation, so the same machine is never enrolled twice."""
    for path in ("/etc/machine-id", "/var/lib/dbus/machine-id"):
        try:
            return Path(path).read_text().strip()
        except OSError:
            continue
    if sys.platform == "win32":
        import winreg

        key = winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, r"SOFTWARE\Microsoft\Cryptography")
        return str(winreg.QueryValueEx(key, "MachineGuid")[0])
    return ""


def installed_software() -> list[str]:
    """Package names and versions, where the platform lists them cheaply."""
    if sys.platform == "win32":
        return _windows_software()[:MAX_SOFTWARE]
    for tool, args in (
        ("dpkg-query", ["-W", "-f", "${Package} ${Version}\\n"]),
        ("rpm", ["-qa", "--qf", "%{NAME} %{VERSION}\\n"]),
    ):
        exe = shutil.which(tool)
        if exe:
            out = subprocess.run(  # noqa: S603
                [exe, *args], capture_output=True, text=True, timeout=60, check=False
            ).stdout
            return sorted(line for line in out.splitlines() if line.strip())[:MAX_SOFTWARE]
    return []


def _windows_software() -> list[str]:
    if sys.platform != "win32":  # also tells the type checker what follows is Windows-only
        return []
    import winreg

    found = set()
    for root in (
        r"SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall",
        r"SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall",
    ):
        try:
            key = winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, root)
        except OSError:
            continue
        for i in range(winreg.QueryInfoKey(key)[0]):
            try:
                sub = winreg.OpenKey(key, winreg.EnumKey(key, i))
                name = winreg.QueryValueEx(sub, "DisplayName")[0]
                version = _value(sub, "DisplayVersion")
                found.add(f"{name} {version}".strip())
            except OSError:
                continue
    return sorted(found)


def _value(key: Any, name: str) -> str:
    if sys.platform != "win32":
        return ""
    import winreg

    try:
        return str(winreg.QueryValueEx(key, name)[0])
    except OSError:
        return ""
