"""The syslog listener: UDP and TCP in, messages grouped per source, stored in batches.

No Django here, so the listener can be tested with any router (headers are parsed by
`sources/syslog_lines.py`, shared with the firewall alert sources). What happens to a
sender's lines (which source, which unit, the database) is the `Router`'s business:
`senders.Router` in production.

- UDP: one message per datagram (a datagram with several lines is split at newlines, as
  some devices pack them).
- TCP (RFC 6587): octet-counted framing (`<len> <msg>`) when a frame starts with a digit,
  else newline-framed (LF, CRLF or NUL). Both may be mixed on one connection.
- Messages from an address no source claims are counted per address, never queued, and
  logged at most once every ten minutes per address with the command that fixes it.
- Messages wait in a bounded queue. When it is full, TCP senders wait (we stop reading, so
  their kernel buffers fill and they slow down) and UDP datagrams are dropped and counted:
  UDP has no way to say "slower".
- A batch is handed to the router in one worker thread (one transaction per batch) when
  it reaches `batch` lines or `flush_seconds` after its first line, so the event loop keeps
  reading while the database works.
- `stop()` (SIGTERM/SIGINT in the CLI) closes the ports, stores what is queued, returns.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

log = logging.getLogger(__name__)

MAX_MESSAGE = 64 * 1024  # longer frames are cut: a broken sender must not eat memory
UNKNOWN_WARN_EVERY = 600.0  # seconds between two log lines about the same unknown sender
STORE_RETRIES = (2.0, 5.0, 10.0)  # waits before retrying a batch the database refused

# --- TCP framing --------------------------------------------------------------------------


class FramingError(ValueError):
    """The TCP stream cannot be cut into messages any more; the connection is closed."""


def split_frames(buffer: bytearray) -> list[bytes]:
    """Take the complete messages off the front of `buffer` (which keeps the rest).

    RFC 6587: `<length> <PRI>…` is an octet-counted frame; anything else ends at LF (or
    NUL, which some old senders use). Requiring the `<` of the PRI after the length keeps a
    newline-framed line that starts with a digit (a Proxmox line, a bare RFC 3339 time)
    from being taken for a length.
    """
    frames: list[bytes] = []
    while buffer:
        if buffer[0] in b"\r\n\x00":
            del buffer[0]
            continue
        counted = _COUNTED.match(buffer)
        if counted is None and _MAY_BE_COUNTED.fullmatch(buffer):
            break  # "12" or "12 ": wait for the byte that tells the framing apart
        frame = _octet_counted(buffer, counted) if counted else _newline_framed(buffer)
        if frame is None:
            break
        frames.append(frame)
    return frames


_COUNTED = re.compile(rb"(\d{1,10}) <")
_MAY_BE_COUNTED = re.compile(rb"\d{1,10} ?")


def _octet_counted(buffer: bytearray, counted: re.Match) -> bytes | None:
    length = int(counted.group(1))
    if length > MAX_MESSAGE:
        raise FramingError(f"a frame announces {length} bytes, more than {MAX_MESSAGE}")
    start = counted.end() - 1  # the message starts at its "<"
    end = start + length
    if len(buffer) < end:
        return None
    frame = bytes(buffer[start:end])
    del buffer[:end]
    return frame


def _newline_framed(buffer: bytearray) -> bytes | None:
    ends = [i for i in (buffer.find(b"\n"), buffer.find(b"\x00")) if i >= 0]
    if not ends:
        if len(buffer) > MAX_MESSAGE:  # a line that never ends: keep its start
            frame = bytes(buffer[:MAX_MESSAGE])
            del buffer[:]
            return frame
        return None
    end = min(ends)
    frame = bytes(buffer[:end])
    del buffer[: end + 1]
    return frame


def decode(frame: bytes) -> list[str]:
    """The non-empty lines of a frame as text (invalid UTF-8 is replaced, not fatal)."""
    text = frame[:MAX_MESSAGE].decode("utf-8", errors="replace")
    return [line for line in text.replace("\x00", "\n").splitlines() if line.strip()]


# --- what the listener needs from the rest of citysoc ----------------------------------


@dataclass
class Outcome:
    """What one stored batch gave (the router fills it from the parse and the intake)."""

    events: int = 0
    created: int = 0
    skipped: int = 0
    rejected: Counter = field(default_factory=Counter)  # reason → lines


# What a router's `find` returns and its `store` takes (senders.Router: a Sender).
Destination = TypeVar("Destination", bound=Hashable)


class Router(Protocol[Destination]):
    """Sender address → destination, and storing a destination's lines."""

    def find(self, ip: str) -> Destination | None:
        """The destination of a sender (a source), or None when no source claims it."""

    def refresh(self) -> None:
        """Reload the sender mapping (runs in the worker thread)."""

    def store(self, destination: Destination, lines: list[str]) -> Outcome:
        """Parse and store one batch in one transaction (runs in the worker thread)."""

    def hint(self, ip: str) -> str:
        """A sentence telling the operator how to accept this sender (worker thread)."""

    def close(self) -> None:
        """Release what the worker thread holds (its database connection)."""


# --- counters -------------------------------------------------------------------------------


@dataclass
class Stats:
    """Counters since the last stats line (and totals since start for the last line)."""

    received: Counter = field(default_factory=Counter)  # "udp"/"tcp" → messages
    events: int = 0
    created: int = 0
    skipped: int = 0
    rejected: Counter = field(default_factory=Counter)
    unknown: Counter = field(default_factory=Counter)  # sender ip → messages
    dropped: int = 0  # UDP datagrams dropped because the queue was full
    lost: int = 0  # lines of batches the database refused after every retry

    def add(self, outcome: Outcome) -> None:
        self.events += outcome.events
        self.created += outcome.created
        self.skipped += outcome.skipped
        self.rejected.update(outcome.rejected)

    def line(self, seconds: float) -> str:
        """One line for an operator: is it receiving, storing, refusing, from whom."""
        received = sum(self.received.values())
        parts = [
            f"syslog, last {seconds:.0f} s: received {received}"
            f" (udp {self.received['udp']}, tcp {self.received['tcp']})",
            f"stored {self.events} events ({self.created} new alerts)",
            f"skipped {self.skipped} (not alerts: allowed traffic, notices)",
            f"rejected {sum(self.rejected.values())}{_top(self.rejected)}",
            f"unknown senders {sum(self.unknown.values())}{_top(self.unknown)}",
        ]
        if self.dropped:
            parts.append(f"dropped {self.dropped} UDP messages (queue full: database too slow?)")
        if self.lost:
            parts.append(f"LOST {self.lost} lines (database errors, see above)")
        return "; ".join(parts)


def _top(counter: Counter, limit: int = 5) -> str:
    if not counter:
        return ""
    shown = ", ".join(f"{name}: {n}" for name, n in counter.most_common(limit))
    more = len(counter) - limit
    return f" ({shown}{f', and {more} more' if more > 0 else ''})"


# --- the listener ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Config:
    host: str = "127.0.0.1"
    udp_port: int | None = None
    tcp_port: int | None = None
    flush_seconds: float = 1.0
    batch: int = 500
    queue_size: int = 20_000
    stats_seconds: float = 60.0
    refresh_seconds: float = 60.0


class BindError(OSError):
    """A port could not be opened; the message says which and what to do."""


class Listener:
    """Receive syslog on the configured ports and hand batches to the router."""

    def __init__(
        self, config: Config, router: Router[Any], *, report: Callable[[str], None] | None = None
    ) -> None:
        self.config = config
        self.router = router
        self.report = report or (lambda text: log.info("%s", text))
        self.stats = Stats()
        self.queue: asyncio.Queue = asyncio.Queue(config.queue_size)
        self.ports: dict[str, int] = {}  # "udp"/"tcp" → the port actually bound
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="syslog-db")
        self._stopping: asyncio.Event | None = None
        self._warned: dict[str, float] = {}
        self._unwarned: set[str] = set()
        self._closers: list[Callable[[], None]] = []
        self._writers: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task] = set()

    # Ports -------------------------------------------------------------------------------

    async def open(self) -> None:
        """Bind the ports; BindError (with the fix) when one cannot be opened."""
        loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        # The mapping first, so the first messages are not taken for unknown senders. A
        # database that is down is logged and retried every refresh; the ports still open.
        await self._refresh()
        if self.config.udp_port is not None:
            try:
                transport, _ = await loop.create_datagram_endpoint(
                    lambda: _Datagrams(self),
                    local_addr=(self.config.host, self.config.udp_port),
                )
            except OSError as error:
                raise BindError(bind_advice("UDP", self.config, error)) from error
            self._closers.append(transport.close)
            self.ports["udp"] = transport.get_extra_info("sockname")[1]
        if self.config.tcp_port is not None:
            try:
                server = await asyncio.start_server(
                    self._connection, self.config.host, self.config.tcp_port
                )
            except OSError as error:
                raise BindError(bind_advice("TCP", self.config, error)) from error
            self._closers.append(server.close)
            self.ports["tcp"] = server.sockets[0].getsockname()[1]

    def stop(self) -> None:
        """Ask the listener to store what it holds and return (safe from a signal handler)."""
        if self._stopping is not None:
            self._stopping.set()

    async def run(self) -> None:
        """Open the ports (unless open), then receive and store until `stop()`."""
        if self._stopping is None:
            await self.open()
        stopping = self._stopping or asyncio.Event()
        background = [
            asyncio.create_task(self._every(self.config.stats_seconds, self._report)),
            asyncio.create_task(self._every(self.config.refresh_seconds, self._refresh)),
        ]
        batcher = asyncio.create_task(self._batches())
        await stopping.wait()
        for close in self._closers:
            close()
        for writer in list(self._writers):
            writer.close()
        for task in background:
            task.cancel()
        await self.queue.put(None)  # after everything already queued: store it, then end
        await batcher
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._report()
        await self._in_worker(self.router.close)
        self._executor.shutdown(wait=True)

    # Receiving -------------------------------------------------------------------------------

    def route(self, ip: str, via: str) -> Hashable | None:
        """Count a message; its destination, or None (counted, warned) for an unknown sender."""
        self.stats.received[via] += 1
        destination = self.router.find(ip)
        if destination is None:
            self.stats.unknown[ip] += 1
            last = self._warned.get(ip)
            if ip not in self._unwarned and (
                last is None or time.monotonic() - last >= UNKNOWN_WARN_EVERY
            ):
                self._unwarned.add(ip)
                # The hint needs the database: looked up in the worker, logged from a task.
                task = asyncio.get_running_loop().create_task(self._warn_unknown())
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
        return destination

    def datagram(self, ip: str, data: bytes) -> None:
        destination = self.route(ip, "udp")
        if destination is None:
            return
        for line in decode(data):
            try:
                self.queue.put_nowait((destination, line))
            except asyncio.QueueFull:
                self.stats.dropped += 1  # UDP cannot be slowed down: count what is lost
                return

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        ip = _plain_ip(writer.get_extra_info("peername")[0])
        buffer = bytearray()
        self._writers.add(writer)
        try:
            while chunk := await reader.read(65536):
                buffer += chunk
                for frame in split_frames(buffer):
                    await self._put_waiting(ip, frame)
            if buffer.strip():
                await self._put_waiting(ip, bytes(buffer))  # last line without its newline
        except FramingError as error:
            log.warning("syslog TCP from %s: %s; closing the connection", ip, error)
        except ConnectionError:
            pass
        finally:
            self._writers.discard(writer)
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    async def _put_waiting(self, ip: str, frame: bytes) -> None:
        destination = self.route(ip, "tcp")
        if destination is None:
            return
        for line in decode(frame):
            # Back-pressure: while the queue is full we do not read, so the sender waits.
            await self.queue.put((destination, line))

    # Storing ------------------------------------------------------------------------------

    async def _batches(self) -> None:
        pending: dict[Hashable, list[str]] = defaultdict(list)
        first_at: float | None = None
        while True:
            timeout = None if first_at is None else self._left(first_at)
            try:
                item = await asyncio.wait_for(self.queue.get(), timeout)
            except TimeoutError:
                item = ()
            if item is None:
                break
            if item:
                destination, line = item
                pending[destination].append(line)
                first_at = first_at if first_at is not None else time.monotonic()
                if len(pending[destination]) >= self.config.batch:
                    await self._store(destination, pending.pop(destination))
            if first_at is not None and (not item or self._left(first_at) <= 0):
                for destination in list(pending):
                    await self._store(destination, pending.pop(destination))
                first_at = None
        for destination in list(pending):
            await self._store(destination, pending.pop(destination))

    def _left(self, first_at: float) -> float:
        return max(0.0, first_at + self.config.flush_seconds - time.monotonic())

    async def _store(self, destination: Hashable, lines: list[str]) -> None:
        for attempt, wait in enumerate((*STORE_RETRIES, None)):
            try:
                outcome = await self._in_worker(self.router.store, destination, lines)
            except Exception:
                stopping = self._stopping is not None and self._stopping.is_set()
                if wait is None or stopping:
                    log.exception(
                        "syslog: %d lines for %s could not be stored and are lost;"
                        " check that the database is up",
                        len(lines),
                        destination,
                    )
                    self.stats.lost += len(lines)
                    return
                log.exception(
                    "syslog: storing %d lines for %s failed (attempt %d); retrying in %.0f s",
                    len(lines),
                    destination,
                    attempt + 1,
                    wait,
                )
                await asyncio.sleep(wait)
                continue
            self.stats.add(outcome)
            return

    async def _warn_unknown(self) -> None:
        ips, self._unwarned = sorted(self._unwarned), set()
        for ip in ips:
            self._warned[ip] = time.monotonic()
            try:
                hint = await self._in_worker(self.router.hint, ip)
            except Exception:
                log.exception("syslog: could not look up a unit for %s", ip)
                hint = ""
            log.warning(
                "syslog from %s ignored: no enabled syslog source lists this address. %s",
                ip,
                hint,
            )

    async def _in_worker(self, func: Callable, *args: object):
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, func, *args)

    # Periodic -------------------------------------------------------------------------------

    async def _every(self, seconds: float, job: Callable) -> None:
        while True:
            await asyncio.sleep(seconds)
            result = job()
            if asyncio.iscoroutine(result):
                await result

    def _report(self) -> None:
        stats, self.stats = self.stats, Stats()
        self.report(stats.line(self.config.stats_seconds))

    async def _refresh(self) -> None:
        try:
            await self._in_worker(self.router.refresh)
        except Exception:
            log.exception("syslog: could not reload the sender list; keeping the previous one")


class _Datagrams(asyncio.DatagramProtocol):
    def __init__(self, listener: Listener) -> None:
        self.listener = listener

    def datagram_received(self, data: bytes, addr: tuple) -> None:
        self.listener.datagram(_plain_ip(addr[0]), data)


def _plain_ip(ip: str) -> str:
    # A dual-stack socket reports IPv4 senders as ::ffff:192.0.2.1.
    return ip.removeprefix("::ffff:") if ip.startswith("::ffff:") and "." in ip else ip


def bind_advice(protocol: str, config: Config, error: OSError) -> str:
    """The sentence for an operator when a port cannot be opened."""
    port = config.udp_port if protocol == "UDP" else config.tcp_port
    where = f"{protocol} {config.host}:{port}"
    reason = error.strerror or str(error)
    if isinstance(error, PermissionError) or (port is not None and port < 1024):
        return (
            f"cannot listen on {where}: {reason}. Ports below 1024 need root. Listen on a port"
            f" above 1024 (for example --{protocol.lower()} 5514) and redirect {port} to it in"
            " the firewall (docs/syslog.md shows the nftables/iptables rule)."
        )
    if getattr(error, "errno", None) == 98:  # EADDRINUSE
        return (
            f"cannot listen on {where}: {reason}. Another program (often rsyslog) already"
            f" listens there: find it with `ss -lnp sport = :{port}`, or choose another port."
        )
    return f"cannot listen on {where}: {reason}. Check --host is an address of this machine."
