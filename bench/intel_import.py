"""Benchmark: a 100,000-row botnet list matched against 300 units, tasks created.

    .venv/bin/python bench/intel_import.py [--rows 100000] [--units 300] [--ranges 5000]
        [--hosts 100000] [--format csv|xlsx] [--keep]

Builds a seeded city in a fresh SQLite database (temporary CITYSOC_DATA_DIR; set
DATABASE_URL to use PostgreSQL instead), writes the list with Vietnamese headers, then
times `importing.receive` + `importing.process` — parse, classify, store the indicators,
match every unit's ranges and hosts, record sightings, open and prioritise tasks — and
prints each phase and the peak resident memory. Goal (issue 4): <= 10 s on 2 cores.
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--ranges", type=int, default=5_000)
    parser.add_argument("--hosts", type=int, default=100_000)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    opts = parser.parse_args()
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
    from django.utils import translation

    from citysoc.intel import importing
    from citysoc.intel.models import CleanupTask

    translation.activate("en")  # the phase names below come from the importer's messages

    rng = random.Random(20261129)
    t = time.perf_counter()
    networks = build_city(opts.units, opts.ranges, opts.hosts, rng)
    setup = time.perf_counter() - t
    path = data_dir / f"botnet-bench.{opts.format}"
    write_list(path, opts.rows, networks, rng, opts.format)
    size_mb = path.stat().st_size / 1e6
    base_mb = peak_mb()

    phases: dict[str, float] = {}
    last = [time.perf_counter()]
    name = ["receive"]

    def progress(message: str) -> None:
        now = time.perf_counter()
        phases[name[0]] = now - last[0]
        last[0], name[0] = now, message

    start = time.perf_counter()
    source = importing.source_named("bench")
    version, _ = importing.receive(source, path.read_bytes(), path.name)
    result = importing.process(version, progress=progress)
    phases[name[0]] = time.perf_counter() - last[0]
    total = time.perf_counter() - start

    print(
        f"city: {opts.units} units, {opts.ranges} ranges, {opts.hosts} hosts "
        f"(built in {setup:.1f} s); list: {opts.rows} rows, {opts.format}, {size_mb:.1f} MB"
    )
    for phase, seconds in phases.items():
        print(f"  {phase:<40} {seconds:6.2f} s")
    print(
        f"end-to-end {total:.2f} s (goal <= 10 s) | indicators {result.indicators}, rejected "
        f"{len(result.rejected)}, sightings {result.sightings}, tasks {result.tasks_opened} "
        f"({CleanupTask.objects.count()} in the database) | peak RSS {peak_mb():.0f} MB "
        f"({peak_mb() - base_mb:+.0f} MB during the import)"
    )
    if not opts.keep:
        import shutil

        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
