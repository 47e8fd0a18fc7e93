"""Benchmark: a 100,000-row botnet list matched against 300 units, tasks created.

    .venv/bin/python bench/intel_import.py [--rows 100000] [--units 300] [--ranges 5000]
        [--hosts 100000] [--format csv|xlsx] [--keep]

Builds a seeded city in a fresh SQLite database (temporary CITYSOC_DATA_DIR; set
DATABASE_URL to use PostgreSQL instead), writes the list with Vietnamese headers, then
times `importing.receive` + `importing.process` — parse, classify, store the indicators,
match every unit's ranges and hosts, record sightings, open and prioritise tasks — in a
fresh process (as a task worker runs it), and prints each phase's wall and CPU seconds and
the peak and current resident memory at its end. Goals (issues 4 and 21): <= 10 s on 2
cores, <= 400 MB peak.
"""

from __future__ import annotations

import argparse
import csv
import ipaddress
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FAMILIES = ["mirai", "necurs", "conficker", "sality", "ramnit", "andromeda", "gamut", "qsnatch"]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build_city(n_units: int, n_ranges: int, n_hosts: int, rng: random.Random) -> list:
    """Units with public /24-/28 ranges carved from 100.0.0.0/8 and hosts inside them."""
    from citysoc.core.models import Unit
    from citysoc.inventory.models import Host, IpRange

    root = Unit.objects.create(code="TP", name="Thành phố", kind=Unit.Kind.CITY)
    units = [
        Unit.objects.create(code=f"U{i:03d}", name=f"Đơn vị {i}", kind=Unit.Kind.WARD, parent=root)
        for i in range(n_units)
    ]
    ranges = []
    networks = []
    for i in range(n_ranges):
        net = ipaddress.ip_network(f"100.{i >> 8 & 255}.{i & 255}.0/25")
        r = IpRange(unit=units[i % n_units])
        r.set_range(str(net))
        ranges.append(r)
        networks.append(net)
    IpRange.objects.bulk_create(ranges, batch_size=2000)
    hosts = []
    for i in range(n_hosts):
        k = i % n_ranges
        net = networks[k]
        hosts.append(
            Host(
                unit=units[k % n_units],
                hostname=f"h{i:06d}",
                ipv4=str(net.network_address + 1 + (i // n_ranges) % 120),
            )
        )
    Host.objects.bulk_create(hosts, batch_size=5000)
    return networks


def write_list(path: Path, rows: int, networks: list, rng: random.Random, fmt: str) -> None:
    header = [
        "STT",
        "Địa chỉ IP",
        "Thời gian",
        "Loại mã độc",
        "Máy chủ C&C",
        "Cổng C&C",
        "Nhà mạng",
    ]
    data = []
    for i in range(rows):
        if i % 20 == 0:  # 5 % of the list falls in the city's ranges
            net = networks[rng.randrange(len(networks))]
            ip = str(net.network_address + rng.randrange(1, 127))
        else:
            a, b, c, d = (
                rng.randrange(1, 99),
                rng.randrange(256),
                rng.randrange(256),
                rng.randrange(1, 255),
            )
            ip = f"{a}.{b}.{c}.{d}"
        data.append(
            [
                i + 1,
                ip,
                f"{rng.randrange(1, 29):02d}/01/2024 "
                f"{rng.randrange(24):02d}:{rng.randrange(60):02d}",
                rng.choice(FAMILIES),
                f"c2-{rng.randrange(100)}.example.net",
                rng.choice([23, 80, 443, 7547, 8080]),
                rng.choice(["VNPT", "Viettel", "FPT"]),
            ]
        )
    if fmt == "csv":
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(data)
    else:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("Botnet")
        sheet.append(header)
        for row in data:
            sheet.append(row)
        book.save(path)


def memory_mb(field: str) -> float:
    """VmHWM (peak) or VmRSS (now) of this process, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return peak_mb()


def run_import(path: Path) -> int:
    """The import alone, in this (fresh) process: what a task worker does with the list."""
    import django

    django.setup()
    from django.utils import translation

    from citysoc.intel import importing
    from citysoc.intel.models import CleanupTask

    translation.activate("en")  # the phase names below come from the importer's messages
    base_mb = memory_mb("VmHWM")
    phases: list[tuple[str, float, float, float, float]] = []
    last = [time.perf_counter(), time.process_time()]
    name = ["receive"]

    def progress(message: str) -> None:
        now, cpu = time.perf_counter(), time.process_time()
        phases.append(
            (name[0], now - last[0], cpu - last[1], memory_mb("VmHWM"), memory_mb("VmRSS"))
        )
        last[:] = [now, cpu]
        name[0] = message

    start, start_cpu = time.perf_counter(), time.process_time()
    source = importing.source_named("bench")
    version, _ = importing.receive(source, path.read_bytes(), path.name)
    result = importing.process(version, progress=progress)
    progress("")
    total, total_cpu = time.perf_counter() - start, time.process_time() - start_cpu
    print(f"  {'phase':<40} {'wall s':>7} {'CPU s':>6} {'peak MB':>8} {'RSS MB':>7}")
    for phase, seconds, cpu, peak, rss in phases:
        print(f"  {phase:<40} {seconds:7.2f} {cpu:6.2f} {peak:8.0f} {rss:7.0f}")
    print(
        f"end-to-end {total:.2f} s, CPU {total_cpu:.2f} s (goal <= 10 s) | indicators "
        f"{result.indicators}, rejected {len(result.rejected)}, sightings {result.sightings}, "
        f"tasks {result.tasks_opened} ({CleanupTask.objects.count()} in the database) | peak "
        f"RSS {memory_mb('VmHWM'):.0f} MB (goal <= 400 MB; {base_mb:.0f} MB after Django "
        f"started)"
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--ranges", type=int, default=5_000)
    parser.add_argument("--hosts", type=int, default=100_000)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--import-only", type=Path, help=argparse.SUPPRESS)  # the child run
    opts = parser.parse_args()
    if opts.import_only:
        return run_import(opts.import_only)
    data_dir = Path(tempfile.mkdtemp(prefix="citysoc-bench-"))
    os.environ.update(
        CITYSOC_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="citysoc.settings",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    citysoc = Path(sys.executable).with_name("citysoc")
    subprocess.run([str(citysoc), "migrate", "-v", "0"], check=True)  # noqa: S603 - our own CLI

    import django

    django.setup()

    rng = random.Random(20261129)
    t = time.perf_counter()
    networks = build_city(opts.units, opts.ranges, opts.hosts, rng)
    setup = time.perf_counter() - t
    path = data_dir / f"botnet-bench.{opts.format}"
    write_list(path, opts.rows, networks, rng, opts.format)
    size_mb = path.stat().st_size / 1e6
    print(
        f"city: {opts.units} units, {opts.ranges} ranges, {opts.hosts} hosts "
        f"(built in {setup:.1f} s); list: {opts.rows} rows, {opts.format}, {size_mb:.1f} MB",
        flush=True,
    )
    # The import runs in a fresh process, as in a task worker: its peak memory is its own,
    # not the high-water mark of building the city and writing the list.
    done = subprocess.run(  # noqa: S603 - this script, our arguments
        [sys.executable, __file__, "--import-only", str(path)], check=False
    )
    if not opts.keep:
        import shutil

        shutil.rmtree(data_dir, ignore_errors=True)
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
