"""Benchmark: import 50,000 hosts from an .xlsx into a fresh SQLite database.

    .venv/bin/python bench/import_hosts.py [--hosts 50000] [--keep]

Generates a seeded workbook, runs `citysoc migrate` in a temporary CITYSOC_DATA_DIR, then
times the two phases of an import (read + validate, write) and prints the peak resident
memory after each. Goal (issue 2): <= 30 s and <= 500 MB in total.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KINDS = ["Máy chủ", "Máy trạm", "Thiết bị mạng", "server", "workstation"]
OSES = ["Windows 11", "Windows Server 2019", "Ubuntu 22.04", "CentOS 7", "RouterOS"]


def make_workbook(path: Path, count: int, units: list[str]) -> None:
    from openpyxl import Workbook

    rng = random.Random(20261129)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Máy")
    sheet.append(
        [
            "Mã đơn vị",
            "Tên máy",
            "Loại máy",
            "Hệ điều hành",
            "Địa chỉ IPv4",
            "Địa chỉ MAC",
            "Vị trí",
            "Mức độ quan trọng",
            "Hệ thống phục vụ",
        ]
    )
    for i in range(count):
        unit = units[i % len(units)]
        sheet.append(
            [
                unit,
                f"host-{i:06d}",
                rng.choice(KINDS),
                rng.choice(OSES),
                f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}",
                ":".join(f"{rng.randrange(256):02x}" for _ in range(6)),
                f"Phòng {rng.randrange(1, 40)}",
                rng.choice(["Thấp", "Trung bình", "Cao"]),
                "Cổng thông tin" if i % 10 == 0 else "",
            ]
        )
    book.save(path)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=50_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    opts = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="citysoc-bench-"))
    os.environ.update(CITYSOC_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="citysoc.settings")
    os.environ.pop("DATABASE_URL", None)
    citysoc = Path(sys.executable).with_name("citysoc")
    subprocess.run([str(citysoc), "migrate", "-v", "0"], check=True)  # noqa: S603 - our own CLI

    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from citysoc.core.models import Person, Unit
    from citysoc.inventory import importing
    from citysoc.inventory.models import Host, InformationSystem

    city = Unit.objects.create(code="city", name="Thành phố", kind="city")
    codes = [f"ward-{n:02d}" for n in range(20)]
    for code in codes:
        unit = Unit.objects.create(code=code, name=code, kind="ward", parent=city)
        InformationSystem.objects.create(unit=unit, name="Cổng thông tin", system_type="citizen")
    user = get_user_model().objects.create_user("bench", password="x")  # noqa: S106
    Person.objects.create(unit=city, user=user, full_name="Bench", role="city_admin")

    path = data_dir / "hosts.xlsx"
    start = time.perf_counter()
    make_workbook(path, opts.hosts, codes)
    print(
        f"generated {opts.hosts} hosts: {path.stat().st_size / 2**20:.1f} MB "
        f"in {time.perf_counter() - start:.1f} s"
    )

    base = peak_mb()
    start = time.perf_counter()
    checked = importing.check(path, "hosts", user)
    read_s = time.perf_counter() - start
    print(
        f"read + validate: {read_s:.1f} s, peak RSS {peak_mb():.0f} MB "
        f"(before: {base:.0f} MB), {len(checked.errors)} errors"
    )

    start = time.perf_counter()
    result = importing.write(checked)
    write_s = time.perf_counter() - start
    print(f"write:           {write_s:.1f} s, peak RSS {peak_mb():.0f} MB, {result}")
    print(
        f"total:           {read_s + write_s:.1f} s; hosts in database: {Host.objects.count()}, "
        f"links: {Host.systems.through.objects.count()}"
    )
    start = time.perf_counter()
    again = importing.write(importing.check(path, "hosts", user))
    print(
        f"same file again: {time.perf_counter() - start:.1f} s (read + validate + write), "
        f"peak RSS {peak_mb():.0f} MB, {again}"
    )
    if not opts.keep:
        import shutil

        shutil.rmtree(data_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
