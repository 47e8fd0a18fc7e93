"""The processes of a running hub, started as an operator would start them."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.support.ports import free_port

CITYSOC = [sys.executable, "-m", "citysoc.cli"]
# Settings a developer's shell may have, which would change what a bare start does.
CONFIGURED = {
    "DATABASE_URL", "DEBUG", "CITYSOC_DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "ALLOWED_HOSTS",
    "SITE_URL", "CITYSOC_TLS", "EMAIL_HOST", "EMAIL_BACKEND", "LOG_LEVEL",
    "CITYSOC_SERVE_HOST", "CITYSOC_SERVE_PORT",
}  # fmt: skip


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in CONFIGURED}
    env.update(
        CITYSOC_DATA_DIR=str(data_dir),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    env.update(extra)
    return env


def test_a_production_start_with_unsafe_settings_is_refused(tmp_path):
    result = subprocess.run(
        [*CITYSOC, "serve"],
        env=_env(tmp_path, SECRET_KEY="dev-only-insecure-key-change-me", ALLOWED_HOSTS=""),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "SECRET_KEY" in result.stderr
    assert "ALLOWED_HOSTS" in result.stderr


def test_a_malformed_setting_names_the_variable(tmp_path):
    result = subprocess.run(
        [*CITYSOC, "check"],
        env=_env(tmp_path, CITYSOC_DEBUG="perhaps"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "CITYSOC_DEBUG='perhaps' is not a yes/no value" in result.stderr


def _wait_for_http(url: str, proc: subprocess.Popen, seconds: float = 60) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"serve exited early with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback only
                return response.status
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def _task_statuses(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [
            row[0] for row in conn.execute("SELECT status FROM django_tasks_database_dbtaskresult")
        ]


def _children(pid: int) -> set[int]:
    return {int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}


def _forked(pid: int) -> set[int]:
    """The children `serve` forked from itself: the two task workers and the scheduler."""
    own = Path(f"/proc/{pid}/cmdline").read_bytes()
    return {c for c in _children(pid) if Path(f"/proc/{c}/cmdline").read_bytes() == own}


def test_serve_runs_web_worker_and_scheduler_and_the_periodic_job_completes(tmp_path, migrated_hub):
    env = _env(tmp_path)
    migrated_hub(tmp_path)
    port = free_port()
    log = tmp_path / "serve.log"
    proc = subprocess.Popen(
        [*CITYSOC, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
    )
    try:
        assert _wait_for_http(f"http://127.0.0.1:{port}/accounts/login/", proc) == 200
        # The nightly reminder is due at first start: the scheduler claims it, the worker
        # runs it, and the result is stored — the whole periodic path, end to end.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "SUCCESSFUL" not in _task_statuses(
            tmp_path / "citysoc.sqlite3"
        ):
            time.sleep(0.5)
        assert "SUCCESSFUL" in _task_statuses(tmp_path / "citysoc.sqlite3")
        # One process of the hub dies: serve stops the others and exits with an error that
        # names it, so that systemd restarts the whole hub.
        children = _children(proc.pid)
        forked = _forked(proc.pid)
        assert len(forked) == 3 and len(children) == 4  # and the web server
        os.kill(min(forked), signal.SIGKILL)
        assert proc.wait(30) == 1
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(30)
    said = log.read_text()
    assert "process stopped with exit code -9; stopped the others" in said
    assert not [c for c in children if Path(f"/proc/{c}").exists()]
