"""Benchmark: a 1 GB firewall log matched by the task worker while the web stays responsive.

    .venv/bin/python bench/intel_logs.py [--mb 1024] [--keep]

Creates a fresh data folder and a small city, imports a 20,000-address list, writes a
seeded firewall CSV of the given size (1 % of its lines touch a listed address), then
starts `citysoc serve` (web server + task worker + scheduler), hands the log to the worker
as an upload would, and while it is matched requests the login page every 0.2 s. Prints
the matching time and throughput, and the web latency (p50/p95/max) during the match.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_log(path: Path, mb: int, listed: list[str], rng: random.Random) -> int:
    target = mb * 1024 * 1024
    lines = 0
    with path.open("w", encoding="ascii") as fh:
        fh.write("time,src_ip,src_port,dst_ip,dst_port,action\n")
        block = []
        size = 0
        while size < target:
            src = f"10.20.{rng.randrange(8)}.{rng.randrange(1, 255)}"
            if rng.random() < 0.01:
                dst = rng.choice(listed)
            else:
                a, b, c = rng.randrange(1, 223), rng.randrange(256), rng.randrange(256)
                dst = f"{a}.{b}.{c}.{rng.randrange(1, 255)}"
            when = f"2024-01-{rng.randrange(1, 29):02d}T{rng.randrange(24):02d}:00:00"
            line = f"{when},{src},{rng.randrange(1024, 65535)},{dst},443,allow\n"
            block.append(line)
            size += len(line)
            lines += 1
            if len(block) == 100_000:
                fh.write("".join(block))
                block = []
        fh.write("".join(block))
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=1024)
    parser.add_argument("--keep", action="store_true")
    opts = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="citysoc-bench-"))
    env = dict(
        os.environ,
        CITYSOC_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="citysoc.settings",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    env.pop("DATABASE_URL", None)
    os.environ.update(env)
    citysoc = Path(sys.executable).with_name("citysoc")
    subprocess.run([str(citysoc), "migrate", "-v", "0"], check=True, env=env)  # noqa: S603

    import django

    django.setup()
    from django.core.files import File

    from citysoc.core.models import Unit
    from citysoc.intel import importing
    from citysoc.intel.models import LogUpload
    from citysoc.inventory.models import IpRange

    rng = random.Random(20261129)
    city = Unit.objects.create(code="TP", name="Thành phố", kind=Unit.Kind.CITY)
    ward = Unit.objects.create(code="P1", name="Phường 1", kind=Unit.Kind.WARD, parent=city)
    r = IpRange(unit=ward)
    r.set_range("10.20.0.0/16")
    r.save()
    listed = [
        f"198.{rng.randrange(18, 20)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
        for _ in range(20_000)
    ]
    source = importing.source_named("C2 list")
    version, _ = importing.receive(source, "\n".join(listed).encode(), "c2.txt")
    importing.process(version)

    path = data_dir / "firewall.csv"
    t = time.perf_counter()
    lines = write_log(path, opts.mb, listed, rng)
    written = time.perf_counter() - t
    print(f"log: {path.stat().st_size / 1e9:.2f} GB, {lines:,} lines (written in {written:.0f} s)")

    port = free_port()
    serve = subprocess.Popen(  # noqa: S603 - our own CLI
        [str(citysoc), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/accounts/login/"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url, timeout=2).read()  # noqa: S310 - 127.0.0.1 only
                break
            except OSError:
                time.sleep(0.3)
        with path.open("rb") as fh:
            log = LogUpload(unit=ward, filename=path.name, size=path.stat().st_size)
            log.file.save(path.name, File(fh), save=True)
        from citysoc.intel import tasks

        started = time.perf_counter()
        tasks.scan_log.enqueue(log.pk)
        latencies = []
        while True:
            t0 = time.perf_counter()
            urllib.request.urlopen(url, timeout=30).read()  # noqa: S310 - 127.0.0.1 only
            latencies.append((time.perf_counter() - t0) * 1000)
            log.refresh_from_db()
            if log.status in (LogUpload.Status.DONE, LogUpload.Status.FAILED):
                break
            time.sleep(0.2)
        seconds = time.perf_counter() - started
    finally:
        serve.terminate()
        serve.wait(timeout=30)
    size = path.stat().st_size
    print(
        f"matched by the worker in {seconds:.1f} s ({size / seconds / 1e6:.0f} MB/s, "
        f"{log.records / seconds:,.0f} records/s): status {log.status}, records {log.records:,}, "
        f"rejected {log.rejected_count}, matching records {log.matches:,}, hosts {log.hosts}"
    )
    latencies.sort()
    print(
        f"web page during the match: {len(latencies)} requests, "
        f"p50 {statistics.median(latencies):.0f} ms, "
        f"p95 {latencies[int(len(latencies) * 0.95) - 1]:.0f} ms, max {latencies[-1]:.0f} ms"
    )
    if not opts.keep:
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
