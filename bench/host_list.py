"""Benchmark: the host list page with 100,000 hosts, as a city admin.

    .venv/bin/python bench/host_list.py [--hosts 100000] [--requests 50] [--keep]

Uses SQLite in a temporary CITYSOC_DATA_DIR, or, when DATABASE_URL points at PostgreSQL,
a fresh database `<name>_bench_<pid>` on that server (dropped at the end unless --keep).
Migrates, bulk-creates the hosts across 50 units, then requests `inventory:host-list`
with the Django test client (a few sort, filter and page variations) and prints the
server time p50/p95 and the SQL queries per request. Goal (issue 2): p95 <= 300 ms, and
a query count that does not grow with the number of rows.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

UNITS = 50
OSES = ["Windows 10 Pro", "Windows 11 Pro", "Ubuntu 22.04", "Windows Server 2019", "FortiOS 7.2"]
KINDS = ["workstation"] * 8 + ["server", "network"]


def prepare_database(keep: bool) -> tuple[str, object]:
    """Point the settings at a throw-away database; return its label and a cleanup."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return _prepare_postgres(url, keep)
    os.environ.pop("DATABASE_URL", None)
    data_dir = Path(tempfile.mkdtemp(prefix="citysoc-bench-"))
    os.environ["CITYSOC_DATA_DIR"] = str(data_dir)

    def cleanup() -> None:
        if not keep:
            import shutil

            shutil.rmtree(data_dir, ignore_errors=True)

    return f"SQLite in {data_dir}", cleanup


def _prepare_postgres(url: str, keep: bool) -> tuple[str, object]:
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'citysoc'}_bench_{os.getpid()}"
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))

    def cleanup() -> None:
        from django.db import connections

        connections.close_all()
        if not keep:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')

    return f"PostgreSQL database {name}", cleanup


def create_hosts(count: int):
    """A city, UNITS wards with a system each, a city admin, and `count` hosts (bulk)."""
    from django.contrib.auth import get_user_model

    from citysoc.core.models import Person, Unit
    from citysoc.inventory.models import Host, InformationSystem

    rng = random.Random(100_000)
    city = Unit.objects.create(code="bench-city", name="Thành phố (bench)", kind="city")
    units, systems = [], []
    for n in range(UNITS):
        unit = Unit.objects.create(code=f"bench-{n:02d}", name=f"Phường {n:02d}", kind="ward",
                                   parent=city)  # fmt: skip
        units.append(unit)
        systems.append(
            InformationSystem.objects.create(
                unit=unit, name="Cổng thông tin", system_type="citizen"
            )
        )
    admin = get_user_model().objects.create_user("bench.admin", password="Bench-only-2026")  # noqa: S106
    Person.objects.create(unit=city, user=admin, full_name="Bench", role="city_admin")
    batch = []
    for i in range(count):
        u = i % UNITS
        batch.append(
            Host(unit=units[u], hostname=f"h{u:02d}-{i:06d}", kind=rng.choice(KINDS),
                 os=rng.choice(OSES), ipv4=f"10.{u}.{i // UNITS >> 8 & 255}.{i // UNITS & 255}",
                 location=f"Phòng {rng.randrange(1, 30)}")
        )  # fmt: skip
        if len(batch) == 5000:
            Host.objects.bulk_create(batch)
            batch = []
    Host.objects.bulk_create(batch)
    # One host in ten serves its unit's system, so the page's prefetch has rows to fetch.
    _link_every_tenth(systems, units)
    return admin, units


def _link_every_tenth(systems, units) -> None:
    from citysoc.inventory.models import Host

    by_unit = {unit.pk: system.pk for unit, system in zip(units, systems, strict=True)}
    through = Host.systems.through
    rows = Host.objects.order_by("pk").values_list("pk", "unit_id")
    links = [
        through(host_id=pk, informationsystem_id=by_unit[unit_id])
        for n, (pk, unit_id) in enumerate(rows.iterator(chunk_size=5000))
        if n % 10 == 0
    ]
    through.objects.bulk_create(links, batch_size=5000)


def variations(units) -> list[str]:
    middle = units[len(units) // 2]
    return [
        "",
        "?sort=hostname",
        "?sort=-ipv4",
        "?sort=unit",
        "?sort=criticality&page=40",
        "?page=2",
        "?page=1000",
        "?page=2000",  # the last page
        "?kind=server",
        "?q=h07-",
        "?ip=10.3.1.",
        f"?unit={middle.pk}",
        f"?unit={middle.pk}&sort=-hostname&page=3",
    ]


def measure(client, url: str, params: list[str], requests: int):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up: template loading, first connection
    timings: dict[str, list[float]] = {p: [] for p in params}
    queries: dict[str, int] = {}
    for n in range(requests):
        p = params[n % len(params)]
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url + p)
            elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != 200:
            raise SystemExit(f"GET {url + p} answered {response.status_code}")
        timings[p].append(elapsed)
        queries[p] = max(queries.get(p, 0), len(ctx.captured_queries))
    return timings, queries


def report(timings: dict[str, list[float]], queries: dict[str, int]) -> None:
    every = sorted(t for ts in timings.values() for t in ts)
    print(f"\n{'variation':<36} {'n':>3} {'median ms':>10} {'max ms':>8} {'queries':>8}")
    for p, ts in timings.items():
        label = p or "(first page, default order)"
        print(f"{label:<36} {len(ts):>3} {statistics.median(ts):>10.1f} {max(ts):>8.1f} "
              f"{queries[p]:>8}")  # fmt: skip
    p95 = every[max(0, round(0.95 * len(every)) - 1)]
    print(
        f"\n{len(every)} requests: p50 {statistics.median(every):.1f} ms, p95 {p95:.1f} ms "
        f"(goal <= 300 ms); SQL queries per request {min(queries.values())}-"
        f"{max(queries.values())}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    opts = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "citysoc.settings"
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # keep the login lines out of the figures
    label, cleanup = prepare_database(opts.keep)
    try:
        return run(opts, label)
    finally:
        cleanup()


def run(opts, label: str) -> int:
    citysoc = Path(sys.executable).with_name("citysoc")
    subprocess.run([str(citysoc), "migrate", "-v", "0"], check=True)  # noqa: S603 - our own CLI
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import NoReverseMatch, reverse

    try:
        url = reverse("inventory:host-list")
    except NoReverseMatch:
        print("The host list page (URL name 'inventory:host-list') does not exist yet; "
              "nothing to measure. Run this again once it is built.")  # fmt: skip
        return 2
    setup_test_environment()  # lets the test client's host name through ALLOWED_HOSTS
    print(f"database: {label}")
    start = time.perf_counter()
    admin, units = create_hosts(opts.hosts)
    print(f"created {opts.hosts} hosts in {UNITS} units in {time.perf_counter() - start:.1f} s")
    client = Client()
    client.force_login(admin)
    timings, queries = measure(client, url, variations(units), opts.requests)
    report(timings, queries)
    return 0


if __name__ == "__main__":
    sys.exit(main())
