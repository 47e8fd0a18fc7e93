"""`citysoc-agent enroll URL TOKEN | sweep --once [--paths DIR …] [--json] | run | uninstall`.

Exit codes: 0 done (sweep: clean), 1 the sweep found something (suspicious or infected),
2 could not run (not enrolled, server refused, bad arguments).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

from citysoc_agent import VERSION, facts
from citysoc_agent.client import Client, ServerError, post
from citysoc_agent.signing import envelope
from citysoc_agent.state import State
from citysoc_agent.sweep import Sweep, short

logger = logging.getLogger("citysoc_agent")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="citysoc-agent", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=VERSION)
    parser.add_argument("--state", help="folder of the agent's files (default per platform)")
    verbs = parser.add_subparsers(dest="verb", required=True)
    enroll = verbs.add_parser("enroll", help="register this host with the server")
    enroll.add_argument("url", help="the citysoc server, https://…")
    enroll.add_argument("token", help="the enrolment token the unit admin created")
    enroll.add_argument("--cafile", default="", help="CA certificate of the server, if private")
    enroll.add_argument("--no-software", action="store_true", help="do not list installed software")
    sweep = verbs.add_parser("sweep", help="run the current jobs now and print a summary")
    sweep.add_argument("--once", action="store_true", help="one sweep, then exit (the default)")
    sweep.add_argument("--paths", nargs="+", help="folders to sweep instead of the job's")
    sweep.add_argument("--json", action="store_true", help="print the summary as JSON")
    sweep.add_argument("--out", help="offline: write the signed result file here")
    run = verbs.add_parser("run", help="pull jobs and send heartbeats until stopped")
    run.add_argument("--interval", type=int, default=0, help="seconds between polls")
    verbs.add_parser("uninstall", help="tell the server, then delete the agent's files")
    return parser


def main(argv: list[str] | None = None, *, bundle: dict[str, Any] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="citysoc-agent: %(message)s")
    opts = _parser().parse_args(argv)
    state = State(Path(opts.state)) if opts.state else State()
    try:
        if opts.verb == "enroll":
            return enroll(opts, state)
        identity = bundle["identity"] if bundle else state.read("identity")
        if not identity:
            print(
                "citysoc-agent: not enrolled. Run: citysoc-agent enroll URL TOKEN", file=sys.stderr
            )
            return 2
        if opts.verb == "sweep":
            return sweep_now(opts, state, identity, bundle)
        if opts.verb == "run":
            return run_forever(opts, state, identity)
        return uninstall(state, identity)
    except ServerError as exc:
        print(f"citysoc-agent: {exc}", file=sys.stderr)
        return 2


def enroll(opts: argparse.Namespace, state: State) -> int:
    answer = post(
        opts.url,
        "/api/agent/enrol/",
        {"token": opts.token, "facts": facts.collect(software=not opts.no_software)},
        cafile=opts.cafile,
    )
    state.write(
        "identity",
        {
            "server": opts.url.rstrip("/"),
            "agent": answer["agent"],
            "secret": answer["secret"],
            "cafile": opts.cafile,
        },
    )
    print(f"Enrolled as {answer['host']} in unit {answer['unit']} (agent {answer['agent']}).")
    return 0


def sweep_now(
    opts: argparse.Namespace, state: State, identity: dict[str, Any], bundle: dict[str, Any] | None
) -> int:
    offline = bundle is not None or bool(opts.out)
    listing = bundle if bundle is not None else Client(identity).jobs()
    _warn_if_outdated(listing)
    jobs = listing.get("jobs") or [listing["default"]]
    results = []
    for job in jobs:
        result = Sweep(job, state, paths=opts.paths).run()
        results.append(result)
        if offline:
            _write(
                opts.out or _default_out(),
                envelope(identity["agent"], identity["secret"], "result", result),
            )
        else:
            Client(identity).upload(result)
    merged = _merge([short(r) for r in results])
    if opts.json:
        print(json.dumps(merged, ensure_ascii=False))
    else:
        print(f"{merged['files']} files, {len(merged['hits'])} hits, "
              f"{merged['connections']} connections: {merged['verdict']}")  # fmt: skip
        for hit in merged["hits"][:50]:
            where = hit.get("path") or hit.get("remote", "")
            print(f"  [{hit.get('score')}] {hit.get('title')} {where}")
    return 0 if merged["verdict"] == "clean" else 1


def _warn_if_outdated(listing: dict[str, Any]) -> None:
    """The update channel: the server names the agent version it ships."""
    latest = str(listing.get("agent_latest") or "")
    if latest and latest != VERSION:
        logger.warning(
            "the server ships agent %s (this is %s): pip install -U citysoc-agent, then "
            "restart the service",
            latest,
            VERSION,
        )


def _default_out() -> str:
    return f"citysoc-sweep-{facts.socket.gethostname()}-{time.strftime('%Y%m%d-%H%M%S')}.json"


def _write(path: str, data: dict[str, Any]) -> None:
    Path(path).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    print(f"Result written to {path}: upload it on the sweep page or with citysoc import-sweep.",
          file=sys.stderr)  # fmt: skip


def _merge(summaries: list[dict[str, Any]]) -> dict[str, Any]:
    order = ["clean", "suspicious", "infected"]
    return {
        "files": sum(s["files"] for s in summaries),
        "hits": [h for s in summaries for h in s["hits"]],
        "connections": max((s["connections"] for s in summaries), default=0),
        "verdict": max((s["verdict"] for s in summaries), key=order.index, default="clean"),
    }


def run_forever(opts: argparse.Namespace, state: State, identity: dict[str, Any]) -> int:
    client = Client(identity)
    while True:
        try:
            client.heartbeat()
            listing = client.jobs()
            _warn_if_outdated(listing)
            for job in listing.get("jobs", []):
                client.upload(Sweep(job, state).run())
            wait = opts.interval or int(listing.get("heartbeat_seconds", 300))
        except ServerError as exc:
            logger.warning("%s; trying again in 60 s", exc)
            wait = 60
        time.sleep(wait)


def uninstall(state: State, identity: dict[str, Any]) -> int:
    try:
        Client(identity).retire()
    except ServerError as exc:
        print(f"citysoc-agent: could not tell the server ({exc}); removing anyway", file=sys.stderr)
    for name in ("identity", "last_sweep", "checkpoint"):
        state.remove(name)
    print("The agent's files are removed; uninstall the package with: pip uninstall citysoc-agent")
    return 0
