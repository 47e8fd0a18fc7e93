"""Benchmark: alert intake over HTTP with dedupe, against a real `citysoc serve`.

    .venv/bin/python bench/alerts_intake.py [--database postgres://USER@HOST:PORT/NAME]
        [--seconds 20] [--clients 8] [--keys 200] [--burst 10000] [--burst-keys 1000]
        [--burst-seconds 10] [--burst-batch 1] [--keep]

Without --database: SQLite in a temporary data folder. With --database: a PostgreSQL
server; the database NAME (default citysoc_bench_<pid>) is created fresh and dropped at the
end (unless --keep); an existing database is never reused.

Starts `citysoc serve` (gunicorn web workers + task worker + scheduler, DEBUG off) on
127.0.0.1, then:
1. sustained: `--clients` client processes each post single-event generic alerts
   (`--keys` distinct dedup keys, so most are repeats) over a kept-alive connection for
   `--seconds`; prints alerts/s and latency p50/p95/p99;
2. burst: `--burst` events over `--burst-keys` keys, paced to arrive within
   `--burst-seconds`; prints how long it took, the stored event count against the sent
   count, the alerts opened and the notifications the escalation made of them.
Goal: >= 500 alerts/s sustained on PostgreSQL with 2 cores.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REFUSED_NAMES = {"test", "postgres", "template0", "template1", "citysoc"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_database(url: str | None, keep: bool):
    """Set DATABASE_URL/CITYSOC_DATA_DIR for a throw-away database; return (label, cleanup)."""
    if not url:
        data_dir = Path(tempfile.mkdtemp(prefix="citysoc-bench-"))
        os.environ.pop("DATABASE_URL", None)
        os.environ["CITYSOC_DATA_DIR"] = str(data_dir)
        return f"SQLite in {data_dir}", lambda: keep or shutil.rmtree(data_dir, True)
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/") or f"citysoc_bench_{os.getpid()}"
    if name in REFUSED_NAMES:
        sys.exit(f"bench: refusing to use the database {name!r}; give a fresh name.")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            sys.exit(f"bench: database {name!r} already exists; give a fresh name.")
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    data_dir = Path(tempfile.mkdtemp(prefix="citysoc-bench-"))
    os.environ["CITYSOC_DATA_DIR"] = str(data_dir)

    def cleanup() -> None:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(data_dir, ignore_errors=True)
        if not keep:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"PostgreSQL database {name}", cleanup


def make_city():
    """A city, one ward with an administrator (who is notified), two sources with tokens."""
    from citysoc.alerts.models import AlertSource
    from citysoc.core.models import Person, Unit

    city = Unit.objects.create(code="bench-city", name="Thành phố (bench)", kind="city")
    ward = Unit.objects.create(code="bench-ward", name="Phường (bench)", kind="ward", parent=city)
    Person.objects.create(
        unit=ward, full_name="Cán bộ trực", role="unit_admin", email="truc@example.gov.vn"
    )
    tokens = {}
    for name in ("sustained", "burst"):
        source = AlertSource(unit=ward, kind="generic", name=f"bench {name}")
        tokens[name] = source.new_token()
        source.save()
        tokens[f"{name}_id"] = source.pk
    return tokens


def wait_for(port: int) -> None:
    url = f"http://127.0.0.1:{port}/accounts/login/"
    for _ in range(200):
        try:
            urllib.request.urlopen(url, timeout=2).read()  # noqa: S310 - 127.0.0.1 only
            return
        except OSError:
            time.sleep(0.3)
    sys.exit("bench: the server did not start; run `citysoc serve` by hand to see why.")


# --- clients (each in its own process) ---------------------------------------------------


def _post(conn: http.client.HTTPConnection, token: str, key: str | list[str]) -> tuple[int, float]:
    # One event, or a batch as tools that send many at once (Alertmanager, EVE lines) do.
    events = [
        {"severity": "high", "summary": f"bench {k}", "dedup_key": k}
        for k in (key if isinstance(key, list) else [key])
    ]
    body = json.dumps(events[0] if isinstance(key, str) else events)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    started = time.perf_counter()
    conn.request("POST", "/api/alerts/intake/generic/", body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    return response.status, (time.perf_counter() - started) * 1000


def sustained_client(args: tuple) -> tuple[list[float], dict[int, int]]:
    port, token, keys, seconds, seed = args
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    deadline = time.perf_counter() + seconds
    n = seed
    while time.perf_counter() < deadline:
        status, ms = _post(conn, token, f"k{n % keys}")
        latencies.append(ms)
        statuses[status] = statuses.get(status, 0) + 1
        n += 7
    conn.close()
    return latencies, statuses


def burst_client(args: tuple) -> tuple[list[float], dict[int, int]]:
    port, token, indexes, keys, start_at, interval, batch = args
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    for i in range(0, len(indexes), batch):
        # Paced: the i-th event of this client leaves at its slot, or at once if late.
        delay = start_at + i * interval - time.time()
        if delay > 0:
            time.sleep(delay)
        chunk = [f"b{n % keys}" for n in indexes[i : i + batch]]
        status, ms = _post(conn, token, chunk[0] if batch == 1 else chunk)
        latencies.append(ms)
        # Counted per event, so "stored = sent" compares events either way.
        statuses[status] = statuses.get(status, 0) + len(chunk)
    conn.close()
    return latencies, statuses


def merge(results) -> tuple[list[float], dict[int, int]]:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    for lat, st in results:
        latencies += lat
        for code, count in st.items():
            statuses[code] = statuses.get(code, 0) + count
    latencies.sort()
    return latencies, statuses


def pct(sorted_ms: list[float], p: float) -> float:
    return sorted_ms[min(len(sorted_ms) - 1, int(len(sorted_ms) * p))]


# --- the run -----------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="postgres://USER@HOST:PORT/FRESH_NAME (else SQLite)")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--keys", type=int, default=200)
    parser.add_argument("--burst", type=int, default=10_000)
    parser.add_argument("--burst-keys", type=int, default=1_000)
    parser.add_argument("--burst-seconds", type=float, default=10)
    parser.add_argument(
        "--burst-batch", type=int, default=1, help="events per request in the burst (default 1)"
    )
    parser.add_argument("--keep", action="store_true")
    opts = parser.parse_args()
    label, cleanup = prepare_database(opts.database, opts.keep)
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="citysoc.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SESSION_COOKIE_SECURE="0",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="WARNING",
    )
    os.environ.update(env)
    citysoc = Path(sys.executable).with_name("citysoc")
    serve = None
    try:
        subprocess.run([str(citysoc), "migrate", "-v", "0"], check=True, env=env)  # noqa: S603
        import django

        django.setup()
        tokens = make_city()
        port = free_port()
        serve = subprocess.Popen(  # noqa: S603 - our own CLI
            [str(citysoc), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(port)
        print(
            f"database: {label}; server: citysoc serve on 127.0.0.1:{port}, {os.cpu_count()} cores"
        )
        sustained(port, tokens, opts)
        burst(port, tokens, opts)
    finally:
        if serve is not None:
            serve.terminate()
            serve.wait(timeout=30)
        cleanup()
    return 0


def sustained(port: int, tokens: dict, opts) -> None:
    from citysoc.alerts.models import Alert, AlertEvent

    jobs = [(port, tokens["sustained"], opts.keys, opts.seconds, i) for i in range(opts.clients)]
    started = time.perf_counter()
    with multiprocessing.Pool(opts.clients) as pool:
        latencies, statuses = merge(pool.map(sustained_client, jobs))
    elapsed = time.perf_counter() - started
    ok = statuses.get(202, 0)
    stored = AlertEvent.objects.filter(alert__source_id=tokens["sustained_id"]).count()
    alerts = Alert.objects.filter(source_id=tokens["sustained_id"]).count()
    print(
        f"sustained: {opts.clients} clients x {opts.seconds:.0f} s, single-event requests, "
        f"{opts.keys} keys: {ok:,} accepted in {elapsed:.1f} s = {ok / elapsed:,.0f} alerts/s; "
        f"latency p50 {statistics.median(latencies):.1f} ms, p95 {pct(latencies, 0.95):.1f} ms, "
        f"p99 {pct(latencies, 0.99):.1f} ms, max {latencies[-1]:.0f} ms; "
        f"statuses {statuses}; stored events {stored:,}, alerts {alerts}"
    )


def burst(port: int, tokens: dict, opts) -> None:
    from citysoc.alerts.models import Alert, AlertEvent, AlertLog

    clients = max(opts.clients, 1)
    per_client = [list(range(i, opts.burst, clients)) for i in range(clients)]
    interval = opts.burst_seconds / max(len(p) for p in per_client)
    start_at = time.time() + 1.0
    jobs = [
        (port, tokens["burst"], idx, opts.burst_keys, start_at, interval, opts.burst_batch)
        for idx in per_client
    ]
    with multiprocessing.Pool(clients) as pool:
        latencies, statuses = merge(pool.map(burst_client, jobs))
    took = time.time() - start_at
    source = tokens["burst_id"]
    stored = AlertEvent.objects.filter(alert__source_id=source).count()
    alerts = Alert.objects.filter(source_id=source)
    time.sleep(20)  # the worker's escalation run (queued on each new alert) and a scheduler tick
    notified = AlertLog.objects.filter(alert__source_id=source, kind="notified").count()
    total = sum(alerts.values_list("count", flat=True))
    messages = _messages()
    print(
        f"burst: {opts.burst:,} events over {opts.burst_keys:,} keys, {opts.burst_batch} per "
        f"request, sent in {took:.1f} s "
        f"(target {opts.burst_seconds:.0f} s); statuses {statuses}; latency p50 "
        f"{statistics.median(latencies):.1f} ms, p99 {pct(latencies, 0.99):.1f} ms; "
        f"stored events {stored:,} (= sent: {stored == statuses.get(202, 0) == opts.burst}); "
        f"alerts {alerts.count():,} (sum of counts {total:,}); "
        f"timeline 'notified' entries {notified:,}; notification messages {messages}"
    )


def _messages() -> str:
    try:
        from citysoc.notify.models import Delivery, Message
    except ImportError:
        return "n/a (no notify app)"
    return f"{Message.objects.count():,} ({Delivery.objects.count():,} deliveries)"


if __name__ == "__main__":
    sys.exit(main())
