"""The syslog listener for real: UDP and TCP on 127.0.0.1, senders mapped to units' sources."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import OperationalError

from citysoc.alerts import senders, syslog, syslog_cli
from citysoc.alerts.models import Alert, AlertEvent, AlertSource
from tests.alerts.sources import support
from tests.support.ports import free_port

CITYSOC = [sys.executable, "-m", "citysoc.cli"]
VPN = support.fixture("fortigate/fortinet-vpn-bf.log").decode().splitlines()
UFW = support.fixture("iptables/ufw.log").decode().splitlines()


# --- helpers ---------------------------------------------------------------------------------


class Running:
    """A listener on ephemeral ports in a thread of its own, with the real router."""

    def __init__(self, **config: object) -> None:
        options = {"udp_port": 0, "tcp_port": 0, "flush_seconds": 0.2} | config
        self.reports: list[str] = []
        self.listener = syslog.Listener(
            syslog.Config(**options), senders.Router(), report=self.reports.append
        )
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        self.loop.run_until_complete(self.listener.run())

    def __enter__(self) -> Running:
        self.thread.start()
        deadline = time.monotonic() + 10
        while len(self.listener.ports) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        if self.thread.is_alive():
            self.loop.call_soon_threadsafe(self.listener.stop)
            self.thread.join(20)
            self.loop.close()

    @property
    def udp(self) -> int:
        return self.listener.ports["udp"]

    @property
    def tcp(self) -> int:
        return self.listener.ports["tcp"]


def send_udp(port: int, lines: list[str], *, sender: str = "127.0.0.1") -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((sender, 0))
        for line in lines:
            s.sendto(line.encode(), ("127.0.0.1", port))


def send_tcp(port: int, payload: bytes, *, sender: str = "127.0.0.1") -> None:
    with socket.create_connection(("127.0.0.1", port), source_address=(sender, 0)) as s:
        s.sendall(payload)


def octet_counted(lines: list[str]) -> bytes:
    # RFC 6587 frames carry whole syslog messages: a PRI is added where the line has none.
    messages = [(line if line.startswith("<") else f"<4>{line}").encode() for line in lines]
    return b"".join(b"%d %s" % (len(message), message) for message in messages)


def wait_for(condition, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if read(condition):
            return
        time.sleep(0.05)
    raise AssertionError(f"the listener did not store in time: {AlertEvent.objects.count()} events")


def read(query):
    # The test database is SQLite in memory with a shared cache: while the listener's
    # thread writes, a read from the test's thread may find the table locked. Retry.
    for _ in range(100):
        try:
            return query()
        except OperationalError:
            time.sleep(0.05)
    return query()


@pytest.fixture
def fortigate_a(unit_a):
    return AlertSource.objects.create(
        unit=unit_a, kind="syslog", name="FortiGate A", sender_ips="127.0.0.1\n"
    )


@pytest.fixture
def ufw_b(unit_b):
    return AlertSource.objects.create(
        unit=unit_b, kind="syslog", name="UFW B", sender_ips="# gateway\n127.0.0.4/32\n"
    )


# --- the mapping -------------------------------------------------------------------------


def test_the_most_specific_sender_entry_wins_and_bad_lines_are_named():
    wide = senders.Sender(1, "district", "district")
    narrow = senders.Sender(2, "ward", "ward-a")
    networks, problems = senders.parse_addresses("192.0.2.0/24\nfirewall-a\n\n192.0.2.7 # fw\n")
    assert [str(n) for n in networks] == ["192.0.2.0/24", "192.0.2.7/32"]
    assert problems == ["line 2 'firewall-a' is not an IP address or CIDR"]
    mapping = senders.SenderMap([(networks[0], wide), (networks[1], narrow)])
    assert mapping.find("192.0.2.7") == narrow
    assert mapping.find("::ffff:192.0.2.8") == wide
    assert mapping.find("198.51.100.1") is None


@pytest.mark.django_db
def test_only_enabled_syslog_sources_map_their_senders(unit_a, unit_b, fortigate_a):
    AlertSource.objects.create(
        unit=unit_b, kind="syslog", name="off", sender_ips="127.0.0.9", enabled=False
    )
    AlertSource.objects.create(unit=unit_b, kind="generic", name="http", sender_ips="127.0.0.8")
    mapping = senders.load()
    assert mapping.find("127.0.0.1") == senders.Sender(fortigate_a.pk, "FortiGate A", "ward-a")
    assert (mapping.find("127.0.0.9"), mapping.find("127.0.0.8")) == (None, None)


def test_tcp_frames_split_by_newline_and_by_octet_count_on_one_stream():
    buffer = bytearray(b"one\r\n" + octet_counted(["two 2", "<5>three"]) + b"four\x00fi")
    assert syslog.split_frames(buffer) == [b"one\r", b"<4>two 2", b"<5>three", b"four"]
    assert buffer == bytearray(b"fi")


def test_a_newline_framed_line_may_start_with_digits():
    proxmox = b"0 3 PVEFW-HOST-IN 20/Jun/2022:13:09:14 +0200 policy DROP: IN=vmbr0 SRC=x"
    buffer = bytearray(proxmox + b"\n2026-11-29T02:00:00+07:00 gw kernel: DROP\n12")
    assert syslog.split_frames(buffer) == [proxmox, b"2026-11-29T02:00:00+07:00 gw kernel: DROP"]
    assert buffer == bytearray(b"12")  # a length or a line: the next byte will tell


def test_a_stream_that_announces_a_huge_frame_is_refused():
    with pytest.raises(syslog.FramingError, match="announces 99999999 bytes"):
        syslog.split_frames(bytearray(b"99999999 <13>x"))


# --- the listener ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_udp_and_both_tcp_framings_store_alerts_for_each_senders_unit(
    unit_a, unit_b, fortigate_a, ufw_b
):
    with Running() as running:
        send_udp(running.udp, VPN)  # nine login failures from unit A's FortiGate
        send_tcp(running.tcp, ("\n".join(UFW[:5]) + "\n").encode(), sender="127.0.0.4")
        send_tcp(running.tcp, octet_counted(UFW[5:]), sender="127.0.0.4")
        send_udp(running.udp, UFW[:2], sender="127.0.0.3")  # nobody's sender
        wait_for(lambda: AlertEvent.objects.count() == 9 + 7)
    vpn = Alert.objects.get(source=fortigate_a)
    assert (vpn.unit, vpn.dedup_key, vpn.count) == (unit_a, "event:vpn:1234567890|192.168.0.1|-", 9)
    by_key = dict(Alert.objects.filter(source=ufw_b, unit=unit_b).values_list("dedup_key", "count"))
    assert by_key == {
        "[UFW BLOCK]|203.0.113.7|tcp/22": 2,
        "[UFW BLOCK]|203.0.113.7|tcp/3389": 1,
        "[UFW AUDIT]|192.0.2.99|tcp/443": 1,
        "[UFW BLOCK]|2001:db8::7|icmpv6/type 128": 1,
        "nft-drop|198.51.100.9|udp/161": 1,
        "[UFW LIMIT BLOCK]|203.0.113.8|tcp/22": 1,
    }
    stats = "\n".join(running.reports)
    assert "unknown senders 2 (127.0.0.3: 2)" in stats
    assert "received 21 (udp 11, tcp 10)" in stats
    assert "skipped 1 " in stats
    assert "rejected 2 (SRC '…' is not an IP address: 1, neither a FortiGate key=value" in stats


@pytest.mark.django_db(transaction=True)
def test_a_source_added_while_running_is_picked_up_without_restart(unit_a):
    with Running(refresh_seconds=0.2) as running:
        send_udp(running.udp, VPN[:1])
        time.sleep(0.5)
        assert not read(Alert.objects.exists)
        read(
            lambda: AlertSource.objects.create(
                unit=unit_a, kind="syslog", name="new", sender_ips="127.0.0.1"
            )
        )
        time.sleep(0.6)
        send_udp(running.udp, VPN[1:2])
        wait_for(lambda: Alert.objects.filter(unit=unit_a).exists())


@pytest.mark.django_db(transaction=True)
def test_an_unknown_sender_alone_is_logged_once_with_the_fix(unit_a, caplog):
    with Running() as running:
        send_udp(running.udp, VPN[:3], sender="127.0.0.3")
        wait_for(lambda: "syslog from 127.0.0.3 ignored" in caplog.text)
        send_udp(running.udp, VPN[:3], sender="127.0.0.3")
        wait_for(lambda: running.listener.stats.unknown["127.0.0.3"] == 6)
    assert caplog.text.count("syslog from 127.0.0.3 ignored") == 1
    assert "--kind syslog --sender-ip 127.0.0.3" in caplog.text
    assert "unknown senders 6 (127.0.0.3: 6)" in running.reports[-1]
    assert not read(Alert.objects.exists)


@pytest.mark.django_db(transaction=True)
def test_a_full_queue_slows_tcp_down_and_loses_nothing(unit_b, ufw_b):
    with Running(queue_size=10, batch=5) as running:
        send_tcp(running.tcp, ("\n".join(UFW[:3] * 100) + "\n").encode(), sender="127.0.0.4")
        wait_for(lambda: AlertEvent.objects.count() == 300)
    assert Alert.objects.get(dedup_key="[UFW BLOCK]|203.0.113.7|tcp/22").count == 200


# --- the command ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_once_file_reports_what_a_senders_file_would_give(tmp_path, capsys, unit_b, ufw_b):
    path = tmp_path / "ufw.log"
    path.write_bytes(support.fixture("iptables/ufw.log"))
    argv = ["--once-file", str(path), "--sender", "127.0.0.4"]
    assert syslog_cli.syslog(argv, setup_django=lambda: None) == 1
    out = capsys.readouterr().out
    assert "ufw.log as if from 127.0.0.4 → source" in out
    assert "10 lines, 7 events stored (6 new alerts), 1 skipped (not alerts), 2 rejected" in out
    assert "line 8: SRC '999.1.1.1' is not an IP address" in out
    assert Alert.objects.filter(unit=unit_b).count() == 6


@pytest.mark.django_db
def test_once_file_from_an_unknown_sender_says_which_command_adds_it(tmp_path, capsys, unit_a):
    from tests import factories

    factories.make_range(unit_a, "198.51.100.0/24")
    path = tmp_path / "fw.log"
    path.write_text(VPN[0])
    argv = ["--once-file", str(path), "--sender", "198.51.100.7"]
    assert syslog_cli.syslog(argv, setup_django=lambda: None) == 2
    err = capsys.readouterr().err
    assert "no enabled syslog source lists 198.51.100.7" in err
    assert "198.51.100.7 is in the address plan of unit ward-a" in err
    assert "citysoc source create --unit ward-a --kind syslog --sender-ip 198.51.100.7" in err


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    return env | {"CITYSOC_DATA_DIR": str(data_dir)}


@pytest.fixture(scope="module")
def hub(tmp_path_factory, migrated_hub):
    """A migrated file database with unit A's FortiGate on 127.0.0.1, as a real hub has."""
    data = tmp_path_factory.mktemp("hub")
    env = _env(data)
    migrated_hub(data)
    code = (
        "from citysoc.core.models import Unit; from citysoc.alerts.models import AlertSource;"
        "u = Unit.objects.create(code='ward-a', name='A', kind='ward');"
        "AlertSource.objects.create(unit=u, kind='syslog', name='FortiGate A',"
        " sender_ips='127.0.0.1')"
    )
    subprocess.run([*CITYSOC, "shell", "-c", code], env=env, check=True, timeout=60)
    return data


def test_sigterm_stores_what_is_queued_then_exits_0(hub):
    port = free_port(socket.SOCK_DGRAM)
    proc = subprocess.Popen(
        [
            *CITYSOC,
            "syslog",
            "--udp",
            str(port),
            "--flush-seconds",
            "600",
            "--stats-seconds",
            "0.3",
        ],
        env=_env(hub),
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 60
        while not any("listening on UDP" in line for line in lines):
            assert proc.poll() is None and time.monotonic() < deadline, "".join(lines)
            time.sleep(0.1)
        send_udp(port, VPN[:3])
        while not any("received 3" in line for line in lines):
            assert time.monotonic() < deadline, "".join(lines)
            time.sleep(0.1)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    reader.join(5)
    with sqlite3.connect(hub / "citysoc.sqlite3") as db:
        assert db.execute("SELECT dedup_key, count FROM alerts_alert").fetchall() == [
            ("event:vpn:1234567890|192.168.0.1|-", 3)
        ]
    assert "stopped; everything received was handed to the database" in "".join(lines)


def test_a_port_in_use_is_a_sentence_and_exit_2(hub):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [*CITYSOC, "syslog", "--tcp", str(port)],
            env=_env(hub),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert f"cannot listen on TCP 127.0.0.1:{port}" in result.stderr
    assert "Another program (often rsyslog) already listens there" in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root may open port 514")
def test_port_514_without_privileges_suggests_a_high_port_and_a_redirect(hub):
    result = subprocess.run(
        [*CITYSOC, "syslog", "--udp", "514"],
        env=_env(hub),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "Ports below 1024 need root" in result.stderr
    assert "--udp 5514" in result.stderr
