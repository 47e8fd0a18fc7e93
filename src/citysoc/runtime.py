"""`citysoc serve | web | worker | scheduler`: the processes of a running hub."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time

CHILD_STOP_SECONDS = 10


def _setup() -> None:
    from citysoc.startup import setup_django

    setup_django()


def _serve_address(argv: list[str], prog: str, description: str, **extra) -> argparse.Namespace:
    """--host/--port (and `extra` options), passed on to the settings of every process.

    The settings derive ALLOWED_HOSTS and SITE_URL from them (unless those are set), so
    that links in mails and pages point at the port actually served.
    """
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    for flag, options in extra.items():
        parser.add_argument(flag, **options)
    opts = parser.parse_args(argv)
    os.environ["CITYSOC_SERVE_HOST"] = opts.host
    os.environ["CITYSOC_SERVE_PORT"] = str(opts.port)
    return opts


def refuse_unsafe_production() -> str | None:
    """The sentence to print when a setting is unsafe, else None."""
    from django.conf import settings

    from citysoc.core.checks import unsafe_settings_errors

    errors = unsafe_settings_errors()
    if settings.DEBUG:
        # CITYSOC_DEBUG=1 on a developer's machine: DEBUG itself is the point, but a known or
        # short secret key is refused all the same (it lets anyone forge signed links).
        errors = [e for e in errors if e.id != "citysoc.E001"]
    if not errors:
        return None
    lines = ["citysoc will not start with unsafe settings:"]
    lines += [f"  - {e.msg} {e.hint}" for e in errors]
    return "\n".join(lines)


def _web(argv: list[str]) -> int:
    opts = _serve_address(
        argv,
        "citysoc web",
        "Start the web server.",
        **{"--workers": {"type": int, "default": _web_workers()}},
    )
    _setup()
    refusal = refuse_unsafe_production()
    if refusal:
        print(refusal, file=sys.stderr)
        return 2
    gunicorn = _gunicorn(opts.host, opts.port, opts.workers)
    os.execv(sys.executable, gunicorn)
    return 0  # not reached


def _web_workers() -> int:
    return int(os.environ.get("WEB_WORKERS", "2"))


def _gunicorn(host: str, port: int, workers: int) -> list[str]:
    """The command line of the web server.

    --preload: the hub is loaded once, in gunicorn's master, and its workers are forked
    from it (they share its memory pages and start without loading Django again).
    """
    return [
        sys.executable, "-m", "gunicorn", "citysoc.wsgi:application",
        "--bind", f"{host}:{port}",
        "--workers", str(workers), "--threads", "4",
        "--timeout", "120", "--access-logfile", "-", "--preload",
    ]  # fmt: skip


def _worker(argv: list[str]) -> int:
    _setup()
    _run_worker(argv)
    return 0


def _run_worker(argv: list[str]) -> None:
    from django.core.management import call_command

    call_command("db_worker", "--no-reload", *argv)


def worker_commands() -> dict[str, list[str]]:
    """The arguments of each `citysoc worker`: one per task queue, so that a long import
    never holds up escalations and mail."""
    from django.conf import settings

    return {
        "worker": ["--queue-name", "default"],
        "import worker": ["--queue-name", settings.TASK_QUEUE_IMPORTS],
    }


def _scheduler(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="citysoc scheduler", description="Run periodic jobs.")
    parser.add_argument("--poll", type=float, default=15.0, help="seconds between polls")
    opts = parser.parse_args(argv)
    _setup()
    _run_scheduler(opts.poll)
    return 0


def _run_scheduler(poll: float = 15.0) -> None:
    from citysoc import scheduler

    scheduler.loop(poll)


class _Forked:
    """A child forked from `serve` after Django is set up, with the part of
    `subprocess.Popen` that `_supervise` uses.

    The task workers and the scheduler run the hub's own code: forking them from the
    loaded `serve` process spares each a new interpreter loading Django and every app
    again (about 1.5 s of CPU each on a small machine) and shares the memory pages.
    """

    def __init__(self, target, *args) -> None:
        import multiprocessing

        self._process = multiprocessing.get_context("fork").Process(target=target, args=args)
        self._process.start()

    @property
    def returncode(self) -> int | None:
        return self._process.exitcode

    def poll(self) -> int | None:
        return self.returncode

    def terminate(self) -> None:
        self._process.terminate()

    def kill(self) -> None:
        self._process.kill()

    def wait(self, timeout: float | None = None) -> int | None:
        self._process.join(timeout)
        if self._process.exitcode is None:
            raise subprocess.TimeoutExpired("citysoc child", timeout or 0)
        return self._process.exitcode


def _serve(argv: list[str]) -> int:
    opts = _serve_address(
        argv, "citysoc serve", "Start web server, task worker and scheduler together."
    )
    _setup()
    refusal = refuse_unsafe_production()
    if refusal:
        print(refusal, file=sys.stderr)
        return 2
    from django.db import connections

    # A child must not share a database connection of this process's (none is expected
    # to be open here; closing costs nothing if so).
    connections.close_all()
    children: dict[str, subprocess.Popen | _Forked] = {
        **{name: _Forked(_run_worker, argv) for name, argv in worker_commands().items()},
        "scheduler": _Forked(_run_scheduler),
        # gunicorn is a program of its own (it forks its workers from its master), started
        # as `citysoc web` starts it, the settings having been checked above.
        "web": subprocess.Popen(_gunicorn(opts.host, opts.port, _web_workers())),  # noqa: S603
    }
    from django.conf import settings

    print(
        f"citysoc: serving on {opts.host}:{opts.port}, open {settings.SITE_URL.rstrip('/')}/ "
        "(Ctrl+C to stop)",
        flush=True,
    )
    return _supervise(children)


def _supervise(children: dict[str, subprocess.Popen | _Forked]) -> int:
    stopping = False

    def stop(signum, frame) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    failed = ""
    while not stopping:
        for name, child in children.items():
            if child.poll() is not None:
                failed = f"the {name} process stopped with exit code {child.returncode}"
                stopping = True
        time.sleep(0.5)
    for child in children.values():
        if child.poll() is None:
            child.terminate()
    deadline = time.monotonic() + CHILD_STOP_SECONDS
    for child in children.values():
        try:
            child.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
    if failed:
        print(f"citysoc: {failed}; stopped the others. See the log above.", file=sys.stderr)
        return 1
    return 0


def register(verb) -> None:
    verb("serve")(_serve)
    verb("web")(_web)
    verb("worker")(_worker)
    verb("scheduler")(_scheduler)
