"""The `citysoc` command: operator verbs, and every Django management command.

citysoc serve [--host H] [--port P]   web server + task worker + scheduler together
citysoc web | worker | scheduler      each alone, for a larger install
citysoc demo [--json]                 load the demo city (idempotent)
citysoc token create --user NAME      print a new API token
citysoc import address-plan FILE      units and their ranges from an address plan
citysoc import-indicators FILE --source NAME   a botnet/indicator list version
citysoc import-scan FILE (--unit CODE | --dry-run)   a vulnerability scanner report
citysoc vulns load-kev FILE | load-epss FILE   KEV catalogue / EPSS scores (isolated networks)
citysoc import-sweep FILE             a signed result file from an offline sweep bundle
citysoc sweep-rules add FILE --name N --kind yara|hashes|filenames   a new rule set version
citysoc agent-token create --unit CODE   an enrolment token for the sweep agent
citysoc load-libraries [--json] [--folder PATH]  framework libraries (requirements per level)
citysoc match …                       match indicator lists against logs (no Django)
citysoc source create --unit CODE --kind KIND   an alert source; prints its token
citysoc syslog --udp P --tcp P        receive firewall syslog (FortiGate, iptables)
citysoc webwatch check URL [--json]   every website check once, nothing saved
citysoc <any manage.py command>       migrate, createsuperuser, …
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

from citysoc.startup import setup_django

VERBS: dict[str, Callable[[list[str]], int]] = {}


def verb(name: str):
    def register(func: Callable[[list[str]], int]) -> Callable[[list[str]], int]:
        VERBS[name] = func
        return func

    return register


# Processes that run until stopped: their log at INFO is how the operator follows them.
LONG_RUNNING = {"serve", "web", "worker", "scheduler", "syslog", "db_worker", "runserver"}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if argv is None and "LOG_LEVEL" not in os.environ and (not args or args[0] not in LONG_RUNNING):
        # A one-shot command (`demo`, `token create`, `migrate`…): its answer is the output,
        # and its stderr carries warnings and errors only, not every step it took.
        os.environ["LOG_LEVEL"] = "WARNING"
    if args and args[0] == "match":
        # The matcher must run where Django is not installed or configured.
        from citysoc.engine.cli import main as engine_main

        return engine_main(args, whole_process=argv is None)
    if args and args[0] in VERBS:
        return VERBS[args[0]](args[1:])
    setup_django()  # before Django's own, which then finds the apps loaded: see startup.py
    from django.core.management import execute_from_command_line

    if not args:
        print(__doc__.strip())
        args = ["help"]
    execute_from_command_line(["citysoc", *args])
    return 0


def _fail(message: str) -> int:
    print(f"citysoc: {message}", file=sys.stderr)
    return 2


@verb("demo")
def demo(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="citysoc demo", description="Load the demo city.")
    parser.add_argument("--json", action="store_true", help="print the demo logins as JSON")
    opts = parser.parse_args(argv)
    setup_django()
    from citysoc.core import demo as demo_data
    from citysoc.core import demo_printout

    accounts = demo_data.load()
    if opts.json:
        print(json.dumps(accounts, ensure_ascii=False))
    else:
        print(demo_printout.describe(accounts))
    return 0


@verb("token")
def token(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="citysoc token", description="API tokens.")
    sub = parser.add_subparsers(dest="action", required=True)
    create = sub.add_parser("create", help="create a token and print it")
    create.add_argument("--user", required=True, help="username the token acts as")
    create.add_argument("--name", default="", help="what the token is for")
    revoke = sub.add_parser("revoke", help="revoke a token (give the token or its prefix)")
    revoke.add_argument("token", help="the token, or the first 10 characters shown in lists")
    opts = parser.parse_args(argv)
    setup_django()
    from django.contrib.auth import get_user_model

    from citysoc.core import audit
    from citysoc.core.models import ApiToken

    if opts.action == "revoke":
        return _revoke_token(opts.token)
    user = get_user_model().objects.filter(username=opts.user).first()
    if user is None:
        return _fail(
            f"no user named '{opts.user}'. List users with: citysoc shell -c "
            '"from django.contrib.auth.models import User; print(*User.objects.all())"'
        )
    with audit.acting_as(user, via="cli"):
        _token, raw = ApiToken.issue(user, name=opts.name or "cli")
    print(raw)
    return 0


def _revoke_token(text: str) -> int:
    from django.utils import timezone

    from citysoc.core import audit
    from citysoc.core.models import ApiToken

    token = (
        ApiToken.find(text)
        or ApiToken.objects.filter(prefix=text[:10], revoked_at__isnull=True).first()
    )
    if token is None:
        return _fail(f"no active token matches '{text[:10]}…'; it may be revoked already.")
    with audit.acting_as(None, via="cli", label=f"cli:{os.environ.get('USER', 'operator')}"):
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.write("update", token, {"after": {"revoked_at": str(token.revoked_at)}})
    print(f"revoked token {token.prefix}… of {token.user.get_username()}")
    return 0


@verb("directive")
def directive(argv: list[str]) -> int:
    from citysoc.directives.cli import main as directive_main

    return directive_main(argv)


@verb("awareness")
def awareness(argv: list[str]) -> int:
    from citysoc.awareness import cli as awareness_cli

    return awareness_cli.awareness(argv, setup_django)


@verb("import")
def import_(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="citysoc import", description="Import a spreadsheet.")
    sub = parser.add_subparsers(dest="what", required=True)
    plan = sub.add_parser("address-plan", help="units and IP ranges from a city address plan")
    plan.add_argument("file", help=".csv or .xlsx with unit code, name, kind, CIDR, provider")
    plan.add_argument("--json", action="store_true", help="print a JSON summary")
    opts = parser.parse_args(argv)
    setup_django()
    from citysoc.core import audit
    from citysoc.inventory import address_plan, import_jobs

    if not Path(opts.file).exists():
        return _fail(f"file not found: {opts.file}")
    with audit.acting_as(None, via="cli", label=f"cli:{os.environ.get('USER', 'operator')}"):
        summary = import_jobs.import_address_plan(opts.file)
    if opts.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(address_plan.describe(summary))
    if not summary["rejected"]:
        return 0  # everything imported (or already there)
    # 1: some rows imported, some rejected; 2: nothing in the file was usable.
    return 1 if summary["rows"] > len(summary["rejected"]) else 2


@verb("import-indicators")
def import_indicators(argv: list[str]) -> int:
    from citysoc.intel import cli as intel_cli

    return intel_cli.import_indicators(argv, setup_django)


@verb("import-scan")
def import_scan(argv: list[str]) -> int:
    from citysoc.vulns import cli as vulns_cli

    return vulns_cli.import_scan(argv, setup_django)


@verb("import-sweep")
def import_sweep(argv: list[str]) -> int:
    from citysoc.sweep import cli as sweep_cli

    return sweep_cli.import_sweep(argv, setup_django)


@verb("agent-token")
def agent_token(argv: list[str]) -> int:
    from citysoc.sweep import cli as sweep_cli

    return sweep_cli.agent_token(argv, setup_django)


@verb("sweep-rules")
def sweep_rules(argv: list[str]) -> int:
    from citysoc.sweep import cli as sweep_cli

    return sweep_cli.sweep_rules(argv, setup_django)


@verb("incident")
def incident(argv: list[str]) -> int:
    from citysoc.incidents import cli as incidents_cli

    return incidents_cli.incident(argv, setup_django)


@verb("load-libraries")
def load_libraries(argv: list[str]) -> int:
    from citysoc.compliance import cli as compliance_cli

    return compliance_cli.load_libraries(argv, setup_django)


@verb("report")
def report(argv: list[str]) -> int:
    from citysoc.reports import cli as reports_cli

    return reports_cli.report(argv, setup_django)


@verb("source")
def source(argv: list[str]) -> int:
    from citysoc.alerts import cli as alerts_cli

    return alerts_cli.source(argv, setup_django)


@verb("syslog")
def syslog(argv: list[str]) -> int:
    from citysoc.alerts import syslog_cli

    return syslog_cli.syslog(argv, setup_django)


@verb("vulns")
def vulns(argv: list[str]) -> int:
    from citysoc.vulns import feed_cli

    return feed_cli.vulns(argv, setup_django)


@verb("webwatch")
def webwatch(argv: list[str]) -> int:
    from citysoc.webwatch import cli as webwatch_cli

    return webwatch_cli.webwatch(argv, setup_django)


from citysoc import runtime  # noqa: E402  - registers serve/web/worker/scheduler

runtime.register(verb)


if __name__ == "__main__":
    sys.exit(main())
