"""`citysoc source create | list | rotate`: alert sources and their tokens, from the shell.

    citysoc source create --unit CODE --kind KIND [--name NAME] [--sender-ip IP]...
                          [--expected-every MINUTES] [--json]
    citysoc source list [--unit CODE] [--json]
    citysoc source rotate ID [--json]

The token is printed once (create, rotate); only its hash is kept. Exit codes: 0 done,
2 nothing done (unknown unit, kind or source id; bad address), with a sentence saying why.
"""

from __future__ import annotations

import argparse
import datetime as dt
import ipaddress
import json
import os
import sys
from collections.abc import Callable

KINDS = ("generic", "wazuh", "suricata", "zeek", "alertmanager", "syslog")


def source(argv: list[str], setup_django: Callable[[], None]) -> int:
    parser = argparse.ArgumentParser(
        prog="citysoc source",
        description="Alert sources: the tools (Wazuh, Suricata, Zeek, Alertmanager, scripts, "
        "firewalls) that send a unit's alerts to this hub, each with its own token.",
    )
    verbs = parser.add_subparsers(dest="verb", required=True)
    create = verbs.add_parser("create", help="make a source and print its token (once)")
    create.add_argument("--unit", required=True, help="the unit's code, e.g. ward-a")
    create.add_argument("--kind", required=True, help=f"one of: {', '.join(KINDS)}")
    create.add_argument("--name", default="", help="a name people recognise (default: the kind)")
    create.add_argument(
        "--sender-ip",
        action="append",
        default=[],
        metavar="IP",
        help="a sending device's address or CIDR (syslog; repeatable)",
    )
    create.add_argument(
        "--expected-every",
        type=int,
        metavar="MINUTES",
        help="raise an alert when the source is silent for longer than this",
    )
    create.add_argument("--json", action="store_true", help="print one JSON object")
    listing = verbs.add_parser("list", help="list sources (never their tokens)")
    listing.add_argument("--unit", help="only this unit's (code)")
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    rotate = verbs.add_parser("rotate", help="replace a source's token; the old one stops working")
    rotate.add_argument("id", type=int, help="the source's id (see `citysoc source list`)")
    rotate.add_argument("--json", action="store_true", help="print one JSON object")
    opts = parser.parse_args(argv)
    setup_django()
    from citysoc.core import audit

    label = f"cli:{os.environ.get('USER', 'operator')}"
    with audit.acting_as(None, via="cli", label=label):
        return {"create": _create, "list": _list, "rotate": _rotate}[opts.verb](opts)


def _fail(message: str) -> int:
    print(f"citysoc: {message}", file=sys.stderr)
    return 2


def _unit(code: str):
    from citysoc.core.models import Unit

    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        codes = list(Unit.objects.order_by("path").values_list("code", flat=True)[:30])
        more = " …" if Unit.objects.count() > len(codes) else ""
        known = ", ".join(codes) + more if codes else "none yet (run `citysoc demo` or add one)"
        _fail(f"no unit has the code '{code}'. Unit codes: {known}.")
    return unit


def _create(opts) -> int:
    from citysoc.alerts.models import AlertSource

    if opts.kind not in KINDS:
        return _fail(f"'{opts.kind}' is not a kind of source. Kinds: {', '.join(KINDS)}.")
    unit = _unit(opts.unit)
    if unit is None:
        return 2
    for address in opts.sender_ip:
        try:
            ipaddress.ip_network(address, strict=False)
        except ValueError:
            return _fail(f"--sender-ip {address!r} is not an IP address or CIDR range.")
    if opts.kind == "syslog" and not opts.sender_ip:
        return _fail("a syslog source needs --sender-ip: the address of each sending device.")
    if opts.expected_every is not None and opts.expected_every < 1:
        return _fail("--expected-every is in minutes and must be 1 or more.")
    found = AlertSource(
        unit=unit,
        kind=opts.kind,
        name=opts.name or str(AlertSource.Kind(opts.kind).label),
        sender_ips="\n".join(opts.sender_ip),
        expected_every=dt.timedelta(minutes=opts.expected_every) if opts.expected_every else None,
    )
    token = found.new_token()
    found.save()
    return _show_token(found, token, opts.json, made=True)


def _show_token(found, token: str, as_json: bool, *, made: bool) -> int:
    from citysoc.alerts import intake

    url = intake.intake_url(found.kind) if found.kind in intake.HTTP_KINDS else None
    if as_json:
        data = _row(found) | {"token": token, "intake_url": url}
        print(json.dumps(data, ensure_ascii=False))
        return 0
    what = "Made" if made else "New token for"
    print(
        f"{what} alert source {found.pk} '{found.name}' ({found.kind}) of unit {found.unit.code}."
    )
    if url:
        print(
            f"Paste this token into the tool's settings: it posts to {url} with the header "
            "'Authorization: Bearer <token>'. It is shown only now; keep it like a password."
        )
    else:
        print(
            "Syslog sources are recognised by their sender addresses; the token below is "
            "only kept for later use. It is shown only now."
        )
    if not made:
        print("The previous token no longer works.")
    print(token)
    return 0


def _row(found) -> dict:
    every = found.expected_every
    return {
        "id": found.pk,
        "unit": found.unit.code,
        "kind": found.kind,
        "name": found.name,
        "enabled": found.enabled,
        "token_prefix": found.token_prefix,
        "sender_ips": found.sender_ips.split(),
        "expected_every_minutes": int(every.total_seconds() // 60) if every else None,
        "last_event_at": found.last_event_at.isoformat() if found.last_event_at else None,
    }


def _list(opts) -> int:
    from citysoc.alerts.models import AlertSource

    rows = AlertSource.objects.select_related("unit").order_by("unit__path", "name", "pk")
    if opts.unit:
        unit = _unit(opts.unit)
        if unit is None:
            return 2
        rows = rows.filter(unit=unit)
    data = [_row(r) for r in rows]
    if opts.json:
        print(json.dumps(data, ensure_ascii=False, indent=1))
        return 0
    if not data:
        print("No alert source yet. Make one with `citysoc source create --unit CODE --kind KIND`.")
        return 0
    print(f"{'ID':>5}  {'UNIT':<16} {'KIND':<13} {'TOKEN':<13} {'LAST EVENT':<20} NAME")
    for r in data:
        last = (r["last_event_at"] or "never")[:19].replace("T", " ")
        name = r["name"] + ("" if r["enabled"] else "  (disabled)")
        print(
            f"{r['id']:>5}  {r['unit']:<16} {r['kind']:<13} {r['token_prefix'] or '-':<13} "
            f"{last:<20} {name}"
        )
    return 0


def _rotate(opts) -> int:
    from citysoc.alerts.models import AlertSource

    found = AlertSource.objects.select_related("unit").filter(pk=opts.id).first()
    if found is None:
        return _fail(f"no alert source has the id {opts.id}. See `citysoc source list`.")
    token = found.new_token()
    found.save(update_fields=["token_prefix", "token_hash"])
    return _show_token(found, token, opts.json, made=False)
