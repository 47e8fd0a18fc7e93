"""Benchmark the matching engine against grepcidr on generated data, as whole processes.

    python bench/engine.py            # the issue's sizes: 1M IPv4 + 50k CIDRs + 20k IPv6 +
                                      # 1k IPv6 CIDRs + 50k domains; 5M-line firewall CSV,
                                      # 2M-line Zeek conn.log, 2M-event Suricata EVE
    python bench/engine.py --quick    # small sizes, under a minute
    python bench/engine.py --csv-lines 5000000 --zeek-lines 0 --eve-lines 1000000

Everything is generated from a seed (vectorised with Arrow, so generation is not the
bottleneck) into --workdir. grepcidr gets the same files and the IP indicators, IPv6
CIDRs included (grepcidr 2.0 reads IPv6 networks; it cannot match domains). Each matcher
runs as a child process; peak memory is its max RSS. The engine runs with the compiled set
already cached (as a second `citysoc match` would).
Each file is timed --runs times (default 5), alternating grepcidr and `citysoc match`
so that both see the same load, and the medians are printed with the range of the ratio;
CPU seconds (user + system, all threads) are printed too, as they depend less on what else
runs on the machine. Start-up (`citysoc match --help`, `import citysoc.engine`) is timed
the same way. Figures are printed, never asserted (STYLE.md §9.8).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

REPO = Path(__file__).resolve().parents[1]
CHUNK = 1_000_000
HIT_RATE_NOW = [0.01]  # set from --hit-rate before generating
HIT_RATE = 0.01  # default share of records whose remote side is listed (--hit-rate)


# ---- generation -------------------------------------------------------------------------


def v4_text(values: np.ndarray) -> pa.Array:
    values = values.astype(np.uint32)
    octets = [
        pa.array(((values >> s) & 255).astype(np.uint8)).cast(pa.string()) for s in (24, 16, 8, 0)
    ]
    return pc.binary_join_element_wise(*octets, ".")


def v6_text(rng: np.random.Generator, n: int) -> pa.Array:
    hexes = [pa.array(np.char.mod("%x", rng.integers(0, 65536, n))) for _ in range(4)]
    return pc.binary_join_element_wise("2001", "db8", *hexes, "0", "1", ":")


def v6_cidr_text(rng: np.random.Generator, n: int) -> pa.Array:
    """/64 networks of 2001:db8::/32 (no host bits set)."""
    hexes = [pa.array(np.char.mod("%x", rng.integers(0, 65536, n))) for _ in range(2)]
    return pc.binary_join_element_wise("2001", "db8", *hexes, ":/64", ":")


def make_indicators(rng, n_ipv4, n_cidr, n_ipv6, n_domains, n_ipv6_cidrs=0, seed=0):  # noqa: PLR0913
    singles = rng.integers(1 << 24, 224 << 24, n_ipv4, dtype=np.uint64)
    plen = rng.integers(20, 29, n_cidr)
    bases = rng.integers(1 << 24, 224 << 24, n_cidr, dtype=np.uint64)
    bases &= ~((np.uint64(1) << (32 - plen).astype(np.uint64)) - np.uint64(1))
    cidrs = pc.binary_join_element_wise(v4_text(bases), pa.array(plen).cast(pa.string()), "/")
    v6 = v6_text(rng, n_ipv6)
    # their own stream: every other generated value stays what it was without them
    v6_cidrs = v6_cidr_text(np.random.default_rng([seed, 6]), n_ipv6_cidrs)
    labels = pa.array(rng.integers(0, 10**9, n_domains)).cast(pa.string())
    domains = pc.binary_join_element_wise("c2-", labels, ".bad-example.net", "")
    return {
        "singles": singles,
        "v4": v4_text(singles),
        "cidrs": cidrs,
        "cidr_bases": bases,
        "v6": v6,
        "v6_cidrs": v6_cidrs,
        "domains": domains,
    }


def write_lines(path: Path, header: str, chunks) -> int:
    with path.open("wb") as fh:
        fh.write(header.encode())
        for lines in chunks:
            data = pc.binary_join(pa.ListArray.from_arrays([0, len(lines)], lines), "\n")[
                0
            ].as_buffer()
            fh.write(data)
            fh.write(b"\n")
        return fh.tell()


def remote_ips(rng, ind, n):
    """Random public addresses, HIT_RATE of them taken from the listed singles and CIDRs."""
    out = rng.integers(1 << 24, 224 << 24, n, dtype=np.uint64)
    hit = rng.random(n) < HIT_RATE_NOW[0]
    k = int(hit.sum())
    from_single = rng.random(k) < 0.7
    picks = np.where(
        from_single,
        ind["singles"][rng.integers(0, len(ind["singles"]), k)],
        ind["cidr_bases"][rng.integers(0, len(ind["cidr_bases"]), k)] + np.uint64(1),
    )
    out[hit] = picks
    return out


def internal_ips(rng, n):
    return rng.integers(10 << 24, 11 << 24, n, dtype=np.uint64)


def gen_csv(rng, ind, n, path: Path) -> int:
    def chunks():
        for start in range(0, n, CHUNK):
            m = min(CHUNK, n - start)
            ts = pc.cast(pa.array(1714557600 + np.arange(start, start + m) // 1000), pa.string())
            local, remote = v4_text(internal_ips(rng, m)), v4_text(remote_ips(rng, ind, m))
            inbound = pa.array(rng.random(m) < 0.3)
            src, dst = pc.if_else(inbound, remote, local), pc.if_else(inbound, local, remote)
            sport = pc.cast(pa.array(rng.integers(1024, 65535, m)), pa.string())
            dport = pc.cast(pa.array(rng.choice([53, 80, 443, 22, 3389, 8080], m)), pa.string())
            action = pa.array(np.where(rng.random(m) < 0.8, "allow", "deny"))
            nbytes = pc.cast(pa.array(rng.integers(40, 2_000_000, m)), pa.string())
            yield pc.binary_join_element_wise(
                ts, src, sport, dst, dport, "tcp", action, nbytes, "fw01", "policy-42", ","
            )

    return write_lines(
        path, "time,src_ip,src_port,dst_ip,dst_port,proto,action,bytes,device,rule\n", chunks()
    )


ZEEK_HEADER = (
    "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n"
    "#open\t2024-05-01-10-00-00\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\t"
    "proto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\t"
    "missed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents\n"
    "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\t"
    "bool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]\n"
)


def gen_zeek(rng, ind, n, path: Path) -> int:
    def chunks():
        for start in range(0, n, CHUNK):
            m = min(CHUNK, n - start)
            ts = pc.cast(pa.array(1714557600.0 + np.arange(start, start + m) / 1000.0), pa.string())
            uid = pc.cast(pa.array(rng.integers(10**15, 10**16, m)), pa.string())
            orig, resp = v4_text(internal_ips(rng, m)), v4_text(remote_ips(rng, ind, m))
            op = pc.cast(pa.array(rng.integers(1024, 65535, m)), pa.string())
            rp = pc.cast(pa.array(rng.choice([53, 80, 443], m)), pa.string())
            dur = pc.cast(pa.array(np.round(rng.random(m) * 10, 6)), pa.string())
            ob = pc.cast(pa.array(rng.integers(0, 100000, m)), pa.string())
            yield pc.binary_join_element_wise(
                ts,
                pc.binary_join_element_wise("C", uid, ""),
                orig,
                op,
                resp,
                rp,
                "tcp",
                "ssl",
                dur,
                ob,
                ob,
                "SF",
                "T",
                "F",
                "0",
                "ShADadFf",
                "10",
                "1000",
                "12",
                "20000",
                "-",
                "\t",
            )

    return write_lines(path, ZEEK_HEADER, chunks())


def gen_eve(rng, ind, n, path: Path) -> int:
    def chunks():
        for start in range(0, n, CHUNK):
            m = min(CHUNK, n - start)
            ts = pc.cast(pa.array(1714557600 + np.arange(start, start + m) // 1000), pa.string())
            src, dst = v4_text(internal_ips(rng, m)), v4_text(remote_ips(rng, ind, m))
            kind = rng.random(m)
            names = pc.binary_join_element_wise(
                "host",
                pc.cast(pa.array(rng.integers(0, 200000, m)), pa.string()),
                ".example.com",
                "",
            )
            listed = pa.array(rng.random(m) < HIT_RATE_NOW[0])
            names = pc.if_else(
                listed,
                pc.binary_join_element_wise(
                    "www.",
                    ind["domains"].take(pa.array(rng.integers(0, len(ind["domains"]), m))),
                    "",
                ),
                names,
            )
            head = pc.binary_join_element_wise(
                '{"timestamp":"2024-05-01T10:00:00.',
                ts,
                '+0000","flow_id":',
                ts,
                ',"in_iface":"eth0","event_type":"',
                "",
            )
            flow = pc.binary_join_element_wise(
                head,
                'flow","src_ip":"',
                src,
                '","src_port":51000,"dest_ip":"',
                dst,
                '","dest_port":443,"proto":"TCP","app_proto":"tls","flow":{"pkts_toserver":12,'
                '"pkts_toclient":10,"bytes_toserver":1800,"bytes_toclient":9000,"start":"2024-05-01'
                'T10:00:00.000000+0000","end":"2024-05-01T10:00:01.000000+0000","age":1,"state":'
                '"closed","reason":"timeout","alerted":false}}',
                "",
            )
            dns = pc.binary_join_element_wise(
                head,
                'dns","src_ip":"',
                src,
                '","src_port":53000,"dest_ip":"192.0.2.53","dest_port":53,'
                '"proto":"UDP","dns":{"type":"query","id":4242,"rrname":"',
                names,
                '","rrtype":"A","tx_id":0,"opcode":0}}',
                "",
            )
            tls = pc.binary_join_element_wise(
                head,
                'tls","src_ip":"',
                src,
                '","src_port":51001,"dest_ip":"',
                dst,
                '","dest_port":443,"proto":"TCP","tls":{"subject":"CN=x","issuerdn":"CN=y","sni":"',
                names,
                '","version":"TLS 1.3","ja3":{"hash":"e7d705a3286e19ea42f587b344ee6865"}}}',
                "",
            )
            yield pc.if_else(
                pa.array(kind < 0.6), flow, pc.if_else(pa.array(kind < 0.85), dns, tls)
            )

    return write_lines(path, "", chunks())


# ---- running ----------------------------------------------------------------------------


def run_child(argv: list[str], env: dict | None = None) -> tuple[float, int, str, float]:
    """(seconds, peak RSS in MB, stdout, CPU seconds) of a child process (/usr/bin/time).

    CPU seconds (user + system, all threads) are printed beside the wall time: on a shared
    machine they vary less than the wall time, which other jobs on the same cores stretch."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as timing:
        start = time.perf_counter()
        proc = subprocess.run(  # noqa: S603 - fixed tools, arguments we built
            ["/usr/bin/time", "-f", "%M %U %S", "-o", timing.name, *argv],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        seconds = time.perf_counter() - start
        peak_kb, user, system = timing.read().strip().splitlines()[-1].split()
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{argv[0]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return seconds, int(peak_kb) // 1024, proc.stdout, float(user) + float(system)


# Run in a child: read the list file, build the set (timed apart), save it, and load it in
# a second fresh interpreter (the cache load a later run pays). Prints JSON.
SET_CHILD = """
import json, subprocess, sys, time
from citysoc.engine.cli import keep_pandas_out
keep_pandas_out()  # as `citysoc match` does
from citysoc.engine.indicators import IndicatorSet, read_indicator_file
t0, c0 = time.perf_counter(), time.process_time()
table = read_indicator_file(sys.argv[1])
t1, c1 = time.perf_counter(), time.process_time()
iset = IndicatorSet.from_arrow(table)
t2, c2 = time.perf_counter(), time.process_time()
iset.save(sys.argv[2] + "/fresh.set")
load = subprocess.run([sys.executable, "-c", (
    "import time; from citysoc.engine.indicators import IndicatorSet as S;"
    "t, c = time.perf_counter(), time.process_time(); S.load(%r);"
    "print(time.perf_counter() - t, time.process_time() - c)") % (sys.argv[2] + "/fresh.set")],
    capture_output=True, text=True, check=True).stdout.split()
print(json.dumps({"read": t1 - t0, "build": t2 - t1, "build_cpu": c2 - c1,
                  "load": float(load[0]), "load_cpu": float(load[1])}))
"""


def median(runs: list[tuple], k: int) -> float:
    return statistics.median(r[k] for r in runs)


def start_up(env: dict, runs: int) -> dict[str, tuple[float, int, float]]:
    """Median (seconds, peak RSS MB, CPU seconds) of the commands a user starts with."""
    commands = {
        "citysoc match --help": [sys.executable, "-m", "citysoc.cli", "match", "--help"],
        "python -m citysoc.engine match --help": [
            sys.executable,
            "-m",
            "citysoc.engine",
            "match",
            "--help",
        ],
        "import citysoc.engine": [sys.executable, "-c", "import citysoc.engine"],
    }
    out = {}
    for label, argv in commands.items():
        timed = [run_child(argv, env) for _ in range(runs)]
        out[label] = (median(timed, 0), max(t[1] for t in timed), median(timed, 3))
    return out


def main(argv: list[str] | None = None) -> int:  # noqa: C901 - a linear script
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--quick", action="store_true", help="small sizes (about a minute)")
    p.add_argument("--seed", type=int, default=20260501)
    p.add_argument("--ipv4", type=int, default=1_000_000)
    p.add_argument("--cidrs", type=int, default=50_000)
    p.add_argument("--ipv6", type=int, default=20_000)
    p.add_argument("--ipv6-cidrs", type=int, default=1_000)
    p.add_argument("--domains", type=int, default=50_000)
    p.add_argument("--csv-lines", type=int, default=5_000_000)
    p.add_argument("--zeek-lines", type=int, default=2_000_000)
    p.add_argument("--eve-lines", type=int, default=2_000_000)
    p.add_argument("--workdir", type=Path, default=None, help="keep generated files here")
    p.add_argument(
        "--hit-rate",
        type=float,
        default=HIT_RATE,
        help="share of records drawn from the list (random addresses also fall in CIDRs)",
    )
    p.add_argument("--grepcidr", default=shutil.which("grepcidr") or "grepcidr")
    p.add_argument("--runs", type=int, default=5, help="timed runs per file (medians)")
    args = p.parse_args(argv)
    if args.quick:
        args.ipv4, args.cidrs, args.ipv6, args.domains = 100_000, 5_000, 2_000, 5_000
        args.ipv6_cidrs = 100
        args.csv_lines, args.zeek_lines, args.eve_lines = 1_000_000, 250_000, 100_000
    sys.path.insert(0, str(REPO / "src"))
    from citysoc.engine import IndicatorSet

    work = args.workdir or Path(tempfile.mkdtemp(prefix="citysoc-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    HIT_RATE_NOW[0] = args.hit_rate
    rng = np.random.default_rng(args.seed)
    t0 = time.perf_counter()
    ind = make_indicators(
        rng, args.ipv4, args.cidrs, args.ipv6, args.domains, args.ipv6_cidrs, args.seed
    )
    ips = [ind["v4"], ind["cidrs"], ind["v6"], ind["v6_cidrs"]]
    all_ind = pa.concat_arrays([*ips, ind["domains"]])
    list_path = work / "indicators.txt"
    write_lines(list_path, "", [all_ind])
    ip_path = work / "indicators-ip.txt"  # grepcidr takes IPs and CIDRs only
    write_lines(ip_path, "", [pa.concat_arrays(ips)])
    files = []
    for name, fmt, n, gen in (
        ("firewall.csv", "csv", args.csv_lines, gen_csv),
        ("conn.log", "zeek_tsv", args.zeek_lines, gen_zeek),
        ("eve.json", "suricata_eve", args.eve_lines, gen_eve),
    ):
        if n > 0:
            path = work / name
            if not path.exists():
                gen(rng, ind, n, path)
            files.append((name, fmt, n, path))
    print(f"generated in {time.perf_counter() - t0:.1f} s into {work}", file=sys.stderr)

    # Indicator-set build and cache load, each in a fresh process (as `citysoc match` meets
    # them: the first run builds from the list file, later runs load the cache), medians of
    # --runs, wall and CPU seconds of the step alone (imports not counted).
    table = pa.table({"indicator": all_ind})
    iset = IndicatorSet.from_arrow(table)
    set_env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    set_runs = [
        json.loads(
            run_child([sys.executable, "-c", SET_CHILD, str(list_path), str(work)], set_env)[2]
        )
        for _ in range(args.runs)
    ]
    set_step = {k: statistics.median(r[k] for r in set_runs) for k in set_runs[0]}
    build, load = set_step["build"], set_step["load"]

    env = {
        **os.environ,
        "PYTHONPATH": str(REPO / "src"),
        "CITYSOC_ENGINE_CACHE": str(work / "cache"),
    }
    engine = [
        sys.executable,
        "-m",
        "citysoc.engine",
        "match",
        "--indicators",
        str(list_path),
        "--json",
    ]
    # Warm-up: build the indicator cache and run once per format on the head of each
    # file, so that no measured run pays for the first build or a cold file cache.
    for name, fmt, _, path in files:
        head = work / f"head-{name}"
        with path.open("rb") as src, head.open("wb") as dst:
            dst.writelines(line for _, line in zip(range(5000), src, strict=False))
        run_child([*engine, "--format", fmt, str(head)], env)
    # The set is memory-mapped from the cache: touch all of it so that the baseline RSS
    # holds the whole set, as it does once a run has looked at it.
    touch = (
        "import numpy as np, pyarrow as pa;"
        "from citysoc.engine import load_indicator_files as l;"
        f"s = l([{str(list_path)!r}], {str(work / 'cache')!r});"
        "[np.asarray(getattr(ix, f)).view(np.uint8).sum() for ix in (s.v4, s.v6)"
        " for f in ('bounds', 'offsets', 'ids', 'starts', 'ends', 'owners')];"
        "s.v4_bitmap.sum(); [np.frombuffer(b, np.uint8).sum() for c in s.table.columns"
        " for ch in c.chunks for b in ch.buffers() if b is not None]"
    )
    _, base_rss, _, _ = run_child([sys.executable, "-c", touch], env)
    startup = start_up(env, args.runs)
    rows = []
    for name, fmt, n, path in files:
        size = path.stat().st_size
        g_runs, e_runs = [], []
        for _ in range(args.runs):  # alternating: both matchers see the same load
            g_runs.append(run_child([args.grepcidr, "-c", "-f", str(ip_path), str(path)]))
            e_runs.append(run_child([*engine, "--format", fmt, str(path)], env))
        summary = json.loads(e_runs[-1][2])
        g_lines = int(g_runs[-1][2].strip() or 0)
        ratios = [g[0] / e[0] for g, e in zip(g_runs, e_runs, strict=True)]
        rows.append(
            (
                name,
                n,
                size,
                median(g_runs, 0),
                max(g[1] for g in g_runs),
                g_lines,
                median(e_runs, 0),
                max(e[1] for e in e_runs),
                summary,
                median(g_runs, 3),
                median(e_runs, 3),
                (min(ratios), max(ratios)),
            )
        )
    print()
    print(
        f"indicators: {len(iset):,} ({args.ipv4:,} IPv4, {args.cidrs:,} CIDRs, "
        f"{args.ipv6:,} IPv6, {args.ipv6_cidrs:,} IPv6 CIDRs, {args.domains:,} domains); "
        f"grepcidr gets the IPv4 and IPv6 addresses and CIDRs; in a fresh process: list file read "
        f"{set_step['read']:.2f} s, build {build:.2f} s (CPU {set_step['build_cpu']:.2f} s), "
        f"cache load {load * 1000:.0f} ms (CPU {set_step['load_cpu'] * 1000:.0f} ms); "
        f"engine RSS with the set loaded: {base_rss} MB"
    )
    print(
        f"{'file':14} {'lines':>11} {'MB':>7} {'grepcidr s':>10} {'engine s':>9} {'ratio':>6}"
        f" {'rec/s':>11} {'MB/s':>6} {'peak MB':>8} {'above set':>9} {'grepcidr MB':>11}"
        f" {'g-lines':>8} {'matches':>8} {'g cpu s':>7} {'e cpu s':>7}"
    )
    for name, n, size, g_sec, g_rss, g_lines, e_sec, e_rss, s, g_cpu, e_cpu, _ in rows:
        ratio = g_sec / e_sec
        print(
            f"{name:14} {n:>11,} {size / 1e6:>7,.0f} {g_sec:>10.2f} {e_sec:>9.2f} {ratio:>5.1f}x"
            f" {n / e_sec:>11,.0f} {size / 1e6 / e_sec:>6.0f} {e_rss:>8} {e_rss - base_rss:>9}"
            f" {g_rss:>11} {g_lines:>8,} {s['matches']:>8,} {g_cpu:>7.2f} {e_cpu:>7.2f}"
        )
    print(
        "(g-lines: lines grepcidr printed; matches: records the engine matched, domains included;"
        " cpu s: user + system seconds of each process, all threads)"
    )
    print()
    print(f"medians of {args.runs} alternating runs, as a Markdown table:")
    print()
    print(
        "| file | grepcidr s | `citysoc match --json` s | ratio (wall) | CPU s, citysoc / "
        "grepcidr | CPU ratio | peak RSS MB |"
    )
    print("|---|---:|---:|---|---|---:|---:|")
    for name, n, size, g_sec, _, _, e_sec, e_rss, _, g_cpu, e_cpu, (lo, hi) in rows:
        print(
            f"| {name}, {n:,} lines ({size / 1e6:,.0f} MB) | {g_sec:.2f} | {e_sec:.2f} | "
            f"**{g_sec / e_sec:.1f}x** ({lo:.1f}-{hi:.1f}) | {e_cpu:.2f} / {g_cpu:.2f} | "
            f"{g_cpu / e_cpu:.1f}x | {e_rss} |"
        )
    for label, (sec, rss, cpu) in startup.items():
        print(f"| start-up: `{label}` | | {sec:.2f} | | {cpu:.2f} | | {rss} |")
    # Other jobs on the same cores stretch both matchers' wall times: say how busy it was.
    one, five, fifteen = os.getloadavg()
    print(f"load average after the runs (1, 5, 15 min): {one:.2f} {five:.2f} {fifteen:.2f}")
    if args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
