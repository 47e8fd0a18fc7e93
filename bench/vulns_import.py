"""Benchmark: import and re-import a 50,000-finding Nessus file with `citysoc import-scan`.

    .venv/bin/python bench/vulns_import.py [--hosts 500] [--plugins 100] [--keep]

Generates a seeded `.nessus` file (hosts × plugins findings, each with description,
solution, CVSS v3 vector, CVEs and plugin output), runs `citysoc migrate` in a temporary
CITYSOC_DATA_DIR (SQLite; set BENCH_DATABASE_URL for PostgreSQL), adds the unit and most of
its hosts, then runs `citysoc import-scan FILE --unit … --json` twice as separate processes
(import, then re-import of the same file) and prints the seconds and peak resident memory
of each. Goal (issue 16): <= 60 s and <= 1 GB each.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

SEVERITIES = ["0", "1", "2", "2", "3", "4"]
WORDS = [
    "remote",
    "server",
    "affected",
    "flaw",
    "allows",
    "attacker",
    "execute",
    "code",
    "version",
    "update",
    "vendor",
]


def make_nessus(path: Path, hosts: int, plugins: int) -> None:
    rng = random.Random(20261206)
    catalogue = []
    for p in range(plugins):
        sev = rng.choice(SEVERITIES)
        catalogue.append(
            (
                100000 + p,
                sev,
                escape(f"Bench plugin {p}: {' '.join(rng.choices(WORDS, k=5))}"),
                escape(" ".join(rng.choices(WORDS, k=60))),
                escape(f"Upgrade to version {rng.randrange(2, 9)}.{rng.randrange(20)} or later."),
                f"CVE-20{rng.randrange(10, 26)}-{rng.randrange(1000, 99999)}",
                rng.choice([80, 443, 22, 3389, 0]),
            )
        )
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" ?>\n<NessusClientData_v2>\n<Report name="bench">\n')
        for h in range(hosts):
            ip = f"10.{h >> 16 & 255}.{h >> 8 & 255}.{h & 255}"
            out.write(f'<ReportHost name="{ip}"><HostProperties>')
            out.write(f'<tag name="host-ip">{ip}</tag><tag name="host-fqdn">h{h}.bench</tag>')
            out.write("</HostProperties>\n")
            for pid, sev, name, desc, solution, cve, port in catalogue:
                out.write(
                    f'<ReportItem port="{port}" svc_name="www" protocol="tcp" severity="{sev}" '
                    f'pluginID="{pid}" pluginName="{name}" pluginFamily="Bench">'
                    f"<description>{desc}</description><solution>{solution}</solution>"
                    "<cvss3_base_score>7.5</cvss3_base_score>"
                    "<cvss3_vector>CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N</cvss3_vector>"
                    f"<cve>{cve}</cve><see_also>https://example.org/{pid}</see_also>"
                    f"<plugin_output>Found on {ip} port {port}.</plugin_output></ReportItem>\n"
                )
            out.write("</ReportHost>\n")
        out.write("</Report>\n</NessusClientData_v2>\n")


def run_measured(argv: list[str]) -> tuple[dict, float, float, int]:
    """(JSON summary, seconds, peak RSS in MB, exit code) of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.PIPE)  # noqa: S603 - our own CLI
    stdout = child.stdout.read() if child.stdout else b""
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    summary = json.loads(stdout.decode().strip().splitlines()[-1]) if stdout.strip() else {}
    return summary, seconds, usage.ru_maxrss / 1024, child.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=500)
    parser.add_argument("--plugins", type=int, default=100)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    opts = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="citysoc-bench-"))
    os.environ.update(CITYSOC_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="citysoc.settings")
    os.environ.pop("DATABASE_URL", None)
    if os.environ.get("BENCH_DATABASE_URL"):
        os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    citysoc = Path(sys.executable).with_name("citysoc")
    subprocess.run([str(citysoc), "migrate", "-v", "0"], check=True)  # noqa: S603 - our own CLI

    import django

    django.setup()
    from citysoc.core.models import Unit
    from citysoc.inventory.models import Host, InformationSystem

    unit = Unit.objects.create(code="ward-bench", name="Phường thử tải", kind="ward")
    system = InformationSystem.objects.create(
        unit=unit, name="Cổng thông tin", system_type="citizen"
    )
    known = opts.hosts * 9 // 10  # a tenth of the scanned hosts are not in the inventory
    Host.objects.bulk_create(
        Host(unit=unit, hostname=f"h{h}", ipv4=f"10.{h >> 16 & 255}.{h >> 8 & 255}.{h & 255}")
        for h in range(known)
    )
    system.hosts.add(*Host.objects.filter(unit=unit))

    path = data_dir / "bench.nessus"
    start = time.perf_counter()
    make_nessus(path, opts.hosts, opts.plugins)
    print(
        f"generated {opts.hosts * opts.plugins} findings ({opts.hosts} hosts × "
        f"{opts.plugins} plugins): {path.stat().st_size / 2**20:.1f} MB "
        f"in {time.perf_counter() - start:.1f} s"
    )
    argv = [str(citysoc), "import-scan", str(path), "--unit", "ward-bench", "--json"]
    for label in ("import", "re-import"):
        summary, seconds, peak, code = run_measured(argv)
        print(
            f"{label:9}: {seconds:5.1f} s, peak RSS {peak:4.0f} MB, exit {code}, "
            f"findings {summary.get('findings')}, new {summary.get('new')}, "
            f"still open {summary.get('still_open')}, mitigated {summary.get('mitigated')}, "
            f"unknown hosts {len(summary.get('unknown_hosts') or [])}"
        )
    if not opts.keep:
        import shutil

        shutil.rmtree(data_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
