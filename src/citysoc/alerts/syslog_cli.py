"""`citysoc syslog`: receive firewall syslog (FortiGate, iptables) and store alerts.

    citysoc syslog --udp 5514 --tcp 5514 [--host 0.0.0.0] [--flush-seconds 1] [--batch 500]
    citysoc syslog --once-file fw.log --sender 192.0.2.1    # test a sender's mapping

Exit codes: 0 after SIGTERM/SIGINT (what was queued is stored first); 2 when a port cannot
be opened or the arguments are wrong. `--once-file`: 0 all lines read, 1 some rejected,
2 nothing usable or an unknown sender.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger("citysoc.alerts.syslog")


def syslog(argv: list[str], setup_django: Callable[[], None]) -> int:
    opts = _arguments().parse_args(argv)
    if opts.once_file is None and opts.udp is None and opts.tcp is None:
        return _fail("say where to listen: --udp PORT and/or --tcp PORT (or --once-file FILE).")
    if opts.once_file is not None and not opts.sender:
        return _fail("--once-file needs --sender IP: the address the lines would come from.")
    setup_django()
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr
    )
    if opts.once_file is not None:
        return _once(Path(opts.once_file), opts.sender, opts.batch)
    return _listen(opts)


def _arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="citysoc syslog",
        description="Receive FortiGate and iptables syslog; store alerts for the sender's unit.",
    )
    parser.add_argument("--udp", type=int, metavar="PORT", help="UDP port (e.g. 5514)")
    parser.add_argument("--tcp", type=int, metavar="PORT", help="TCP port (e.g. 5514)")
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (0.0.0.0: every interface)"
    )
    parser.add_argument(
        "--flush-seconds", type=float, default=1.0, help="store at least this often"
    )
    parser.add_argument("--batch", type=int, default=500, help="lines per transaction, at most")
    parser.add_argument("--stats-seconds", type=float, default=60.0, help=argparse.SUPPRESS)
    parser.add_argument("--refresh-seconds", type=float, default=60.0, help=argparse.SUPPRESS)
    parser.add_argument("--once-file", metavar="FILE", help="read FILE's lines as if received")
    parser.add_argument("--sender", metavar="IP", help="with --once-file: the sender address")
    return parser


def _fail(message: str) -> int:
    print(f"citysoc syslog: {message}", file=sys.stderr)
    return 2


def _listen(opts: argparse.Namespace) -> int:
    from citysoc.alerts import senders
    from citysoc.alerts.syslog import BindError, Config, Listener

    config = Config(
        host=opts.host,
        udp_port=opts.udp,
        tcp_port=opts.tcp,
        flush_seconds=opts.flush_seconds,
        batch=max(1, opts.batch),
        stats_seconds=opts.stats_seconds,
        refresh_seconds=opts.refresh_seconds,
    )
    listener = Listener(config, senders.Router(), report=lambda text: log.info("%s", text))

    async def main() -> None:
        await listener.open()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, listener.stop)
        ports = ", ".join(
            f"{kind.upper()} {opts.host}:{port}" for kind, port in listener.ports.items()
        )
        log.info("syslog: listening on %s; stop with Ctrl-C or SIGTERM", ports)
        await listener.run()

    try:
        asyncio.run(main())
    except BindError as error:
        return _fail(str(error))
    log.info("syslog: stopped; everything received was handed to the database")
    return 0


def _once(path: Path, ip: str, batch: int) -> int:
    from citysoc.alerts import senders

    try:
        lines = [line for line in path.read_text(errors="replace").splitlines() if line.strip()]
    except OSError as error:
        return _fail(f"cannot read {path}: {error.strerror}")
    sender = senders.load().find(ip)
    if sender is None:
        return _fail(f"no enabled syslog source lists {ip}. {senders.hint(ip)}")
    stored = created = skipped = 0
    rejected: list[tuple[int, str]] = []
    for start in range(0, len(lines), max(1, batch)):
        outcome, parsed = senders.deliver(sender, lines[start : start + batch])
        stored, created, skipped = (
            stored + outcome.events,
            created + outcome.created,
            skipped + outcome.skipped,
        )
        rejected += [(start + number, reason) for number, reason in parsed.rejected]
    print(
        f"{path.name} as if from {ip} → {sender}: {len(lines)} lines, {stored} events stored"
        f" ({created} new alerts), {skipped} skipped (not alerts), {len(rejected)} rejected"
    )
    for number, reason in rejected[:10]:
        print(f"  line {number}: {reason}")
    if len(rejected) > 10:
        print(f"  … and {len(rejected) - 10} more rejected lines")
    if not rejected:
        return 0
    return 1 if stored or skipped else 2
