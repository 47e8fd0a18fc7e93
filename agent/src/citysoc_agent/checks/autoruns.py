"""Autoruns, services, scheduled tasks and cron, listed and compared with the previous sweep.

An entry that appeared since the last sweep is a notice (score 30): it changes no verdict
but is shown as evidence next to the other hits. The first sweep only records the list.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess  # noqa: S404 - fixed system commands, no shell
import sys
from pathlib import Path
from typing import Any

from citysoc_agent.checks.base import Context, FileItem, Finding

NAME = "autoruns"
LABEL = "Autoruns, services, scheduled tasks, cron"
SCOPE = "host"
NEW_SCORE = 30
MAX_LISTED = 200
CRON_PLACES = ("/etc/crontab", "/etc/cron.d", "/var/spool/cron", "/var/spool/cron/crontabs")
SYSTEMD = ("/etc/systemd/system",)


def prepare(ctx: Context) -> Context:
    return ctx


def run(prepared: Any, item: FileItem | None) -> list[Finding]:
    ctx: Context = prepared
    root = Path(ctx.job.get("autoruns_root", "/"))
    entries = sorted(set(windows_entries() if sys.platform == "win32" else unix_entries(root)))
    before = ctx.previous.get("autoruns")
    ctx.remember["autoruns"] = entries
    new = sorted(set(entries) - set(before)) if before is not None else []
    removed = sorted(set(before) - set(entries)) if before is not None else []
    ctx.summary["autoruns"] = {
        "count": len(entries),
        "new": new[:MAX_LISTED],
        "removed": removed[:MAX_LISTED],
        "first_sweep": before is None,
    }
    return [
        Finding(check=NAME, kind="autorun", score=NEW_SCORE, title="new autorun entry", rule=e)
        for e in new[:MAX_LISTED]
    ]


def unix_entries(root: Path) -> list[str]:
    """One line per cron job and per enabled systemd unit, prefixed with where it is."""
    entries = []
    for place in CRON_PLACES:
        base = root / place.lstrip("/")
        files = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
        for path in files if base.exists() else []:
            entries += [f"cron:{path.name}:{line.strip()}" for line in _cron_lines(path)]
    for place in SYSTEMD:
        base = root / place.lstrip("/")
        if base.is_dir():
            entries += [f"systemd:{p.parent.name}/{p.name}" for p in base.glob("*.wants/*")]
    rc_local = root / "etc/rc.local"
    if rc_local.is_file():
        entries += [f"rc.local:{line.strip()}" for line in _cron_lines(rc_local)]
    return entries


def _cron_lines(path: Path) -> list[str]:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return []
    return [
        line
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#") and "=" not in line.split()[0]
    ]


def windows_entries() -> list[str]:
    return _run_keys() + _scheduled_tasks() + _services()


def _run_keys() -> list[str]:
    if sys.platform != "win32":  # also tells the type checker what follows is Windows-only
        return []
    import winreg

    entries = []
    for hive, hive_name in (
        (winreg.HKEY_LOCAL_MACHINE, "HKLM"),
        (winreg.HKEY_CURRENT_USER, "HKCU"),
    ):
        for sub in (
            r"Software\Microsoft\Windows\CurrentVersion\Run",
            r"Software\Microsoft\Windows\CurrentVersion\RunOnce",
        ):
            try:
                key = winreg.OpenKey(hive, sub)
            except OSError:
                continue
            for i in range(winreg.QueryInfoKey(key)[1]):
                name, value, _ = winreg.EnumValue(key, i)
                entries.append(f"run:{hive_name}\\{sub}:{name}={value}")
    return entries


def _scheduled_tasks() -> list[str]:
    if not shutil.which("schtasks"):
        return []
    out = subprocess.run(  # noqa: S603
        ["schtasks", "/query", "/fo", "csv", "/v"],
        capture_output=True, text=True, timeout=120, check=False,
    ).stdout  # fmt: skip
    rows = csv.reader(io.StringIO(out))
    return sorted({f"task:{r[1]}:{r[8]}" for r in rows if len(r) > 8 and r[1] != "TaskName"})


def _services() -> list[str]:
    if sys.platform != "win32":
        return []
    try:
        import psutil
    except ImportError:
        return []
    found = []
    for service in psutil.win_service_iter():
        try:
            info = service.as_dict()
        except (psutil.Error, OSError):
            continue
        if info.get("start_type") == "automatic":
            found.append(f"service:{info['name']}:{info.get('binpath', '')}")
    return found
