"""The demo city: a fictional "Tỉnh Ninh Bình" hub with every kind of unit, for trying citysoc.

This is the first step of `citysoc demo` (`core/demo.py` runs the registered steps): the
units, people and logins, then each unit's systems, ranges, domains and hosts. Every other
area's demo builds on them.

Since 01/07/2025 local government has two levels: the district-level "Thành phố Tam Điệp"
no longer exists, so the top unit is the province and the wards are the wards formed from
Tam Điệp's (Tam Điệp, Trung Sơn, Yên Sơn, Yên Thắng: the April 2025 plan; the final mapping
in Resolution 1674/NQ-UBTVQH15 is UNCONFIRMED). Unit codes keep their pre-2025 names.

Everything here is invented: names, phone numbers, addresses and contacts are made up; the
addresses are private (10.0.0.0/8) or documentation ranges (192.0.2.0/24, 198.51.100.0/24,
203.0.113.0/24, 2001:db8::/32); every domain contains `example`. One pair of ranges of two
units overlaps on purpose, and several systems have no approved level yet, so that the
overlap screen, the dashboard and the nightly reminder have something to show.

The city's tables (units, systems, ranges, domains, logins, name parts) are data in
`inventory/data/demo_city.yaml`; this module turns them into rows, and `demo_printout` writes
what `citysoc demo` prints.

`load()` is idempotent: rows are looked up by their natural key (unit code, unit + name,
unit + hostname, unit + range text…) and only missing ones are created, so a re-run keeps
whatever the user changed — including a demo account's password. It is deterministic (a
seeded generator) and runs in one transaction, attributed to the actor "demo".
"""

from __future__ import annotations

import datetime
import ipaddress
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import models, transaction

from citysoc.core import audit, demo
from citysoc.core.demo import DEMO_PASSWORD, DemoAccounts
from citysoc.core.models import Person, Unit
from citysoc.inventory.models import Domain, Host, InformationSystem, IpRange, SecurityRegime
from citysoc.lib import bodies, iprange, yamldata
from citysoc.lib.domains import normalize_domain

SEED = 20240201

K = Unit.Kind
T = InformationSystem.Type
S = InformationSystem.Subtype
R = Person.Role

# The city itself (units, systems, ranges, domains, logins, name parts) is data, in one file.
_DATA: dict[str, Any] = yamldata.load(
    (Path(__file__).parent / "data" / "demo_city.yaml").read_text(encoding="utf-8")
)
ROOT: str = _DATA["root"]
GOV = next(u["mail"] for u in _DATA["units"] if u["code"] == ROOT)


@dataclass(frozen=True)
class UnitSpec:
    code: str
    kind: str
    name: str
    parent: str | None
    street: str
    mail: str  # the unit's mail domain
    hosts: tuple[int, int, int]  # servers, workstations, network devices


UNITS: list[UnitSpec] = [UnitSpec(**{**u, "hosts": tuple(u["hosts"])}) for u in _DATA["units"]]
_SYSTEM_KEYS = ("name", "type", "subtype", "level", "dossier", "info", "users")
# (name, type, subtype, level, dossier letter, information-class letters, users) per unit
_SYSTEMS: dict[str, list[tuple]] = {
    code: [tuple(row[k] for k in _SYSTEM_KEYS) for row in rows]
    for code, rows in _DATA["systems"].items()
}
# The same systems in every ward ("{ward}" is the ward's name), the dossier at a different
# stage in each (one letter per system).
_WARD_SYSTEMS = [
    (r["name"], r["type"], r["subtype"], r["level"], r["info"], r["users"])
    for r in _DATA["ward_systems"]
]
_WARD_DOSSIERS: dict[str, str] = _DATA["ward_dossiers"]
_DOSSIER = {
    "a": InformationSystem.Dossier.APPROVED,
    "p": InformationSystem.Dossier.APPRAISED,
    "s": InformationSystem.Dossier.SUBMITTED,
    "d": InformationSystem.Dossier.DRAFT,
    "-": InformationSystem.Dossier.NONE,
}
_INFO = {"p": "public", "r": "private", "n": "personal"}
# Public ranges: (text, provider, NAT egress, note). Internal ranges are 10.20.<n>.0/24.
_PUBLIC_RANGES: dict[str, list[tuple[str, str | None, bool, str]]] = {
    code: [(r["text"], r["provider"], r["nat"], r["note"]) for r in rows]
    for code, rows in _DATA["public_ranges"].items()
}
# (unit, domain, the system it serves or None)
_DOMAINS = [(d["unit"], d["name"], d["system"]) for d in _DATA["domains"]]
# (unit, username, full name, job title, role): people who log in.
ACCOUNTS = [
    (a["unit"], a["username"], a["full_name"], a["job_title"], a["role"]) for a in _DATA["accounts"]
]
# Contact names are drawn from common name parts: nobody real is meant.
_FAMILY: list[str] = _DATA["names"]["family"]
_MIDDLE: list[str] = _DATA["names"]["middle"]
_GIVEN: list[str] = _DATA["names"]["given"]
_SERVER_OS: list[str] = _DATA["os"]["server"]
_DESKTOP_OS: list[str] = _DATA["os"]["desktop"]
_NETWORK_OS: list[str] = _DATA["os"]["network"]


def load() -> DemoAccounts:
    """Create whatever part of the demo city is missing and return the demo logins."""
    with audit.acting_as(None, via="cli", label="demo"), transaction.atomic():
        units = _load_units()
        systems = _load_systems(units)
        _load_ranges(units)
        _load_domains(units, systems)
        accounts, owners = _load_people(units)
        _load_hosts(units, systems, owners)
    # No later step adds units, systems, hosts, ranges or domains: these are the city's.
    accounts.counts = {
        "units": Unit.objects.count(),
        "systems": InformationSystem.objects.count(),
        "unapproved": InformationSystem.objects.exclude(
            dossier_status=InformationSystem.Dossier.APPROVED
        ).count(),
        "hosts": Host.objects.count(),
        "ranges": IpRange.objects.count(),
        "domains": Domain.objects.count(),
    }
    return accounts


def _find_or_create(model: type[models.Model], lookup: dict, defaults: dict) -> tuple[Any, bool]:
    # Not get_or_create: a user may have added a duplicate by hand (people have no unique
    # name), and the demo must then reuse the first rather than fail.
    found = model._default_manager.filter(**lookup).order_by("pk").first()
    if found is not None:
        return found, False
    return model._default_manager.create(**lookup, **defaults), True


def _contact(rng: random.Random) -> tuple[str, str]:
    name = f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"
    phone = f"09{rng.choice('1348')}{rng.randrange(10)} {rng.randrange(1000):03d} "
    return name, phone + f"{rng.randrange(1000):03d}"


def _load_units() -> dict[str, Unit]:
    rng = random.Random(SEED)  # noqa: S311 - repeatable demo data, not secrets
    units: dict[str, Unit] = {}
    for spec in UNITS:
        lead, lead_phone = _contact(rng)
        duty, duty_phone = _contact(rng)
        defaults = {
            "name": spec.name,
            "kind": spec.kind,
            "parent": units.get(spec.parent) if spec.parent else None,
            "address": f"{spec.street}, Tam Điệp (địa chỉ mô phỏng)",
            "phone": f"0229 3{rng.randrange(100000, 999999)}",
            "email": f"vanthu@{spec.mail}",
            "security_lead_name": lead,
            "security_lead_phone": lead_phone,
            "security_lead_email": f"attt@{spec.mail}",
            "incident_contact_name": duty,
            "incident_contact_phone": duty_phone,
            "incident_contact_email": f"trucsuco@{spec.mail}",
        }
        units[spec.code], _ = _find_or_create(Unit, {"code": spec.code}, defaults)
    return units


def system_rows() -> list[tuple[str, tuple]]:
    """Every demo system as (unit code, (name, type, subtype, level, dossier, info, users))."""
    rows = [(code, row) for code, items in _SYSTEMS.items() for row in items]
    for spec in UNITS:
        for template, stage in zip(_WARD_SYSTEMS, _WARD_DOSSIERS.get(spec.code, ""), strict=False):
            name, kind, subtype, level, info, users = template
            level = None if stage == "-" else level
            rows.append((spec.code, (name.format(ward=spec.name), kind, subtype, level, stage,
                                     info, users)))  # fmt: skip
    return rows


def _system_defaults(unit: Unit, row: tuple, number: int, regimes: dict) -> dict:
    _name, kind, subtype, level, stage, info, users = row
    defaults: dict[str, Any] = {
        "owner_body": _owner_body(unit),
        "system_type": kind,
        "subtype": subtype,
        "info_classes": [_INFO[c] for c in info],
        "user_count": users,
        "security_level": level,
        "dossier_status": _DOSSIER[stage],
    }
    if level is None:
        return defaults
    if stage == "a":
        # Decisions spread over three years, so both regimes appear.
        decided = datetime.date(2023, 3, 1) + datetime.timedelta(days=37 * number)
        defaults.update(
            decision_number=f"{100 + number * 7}/QĐ-UBND",
            decision_date=decided,
            approver=_approver(unit, decided),
            regime=regimes.get(
                "nd85-2016" if decided < datetime.date(2026, 7, 1) else "nd331-2026"
            ),
        )
    else:
        defaults["regime"] = regimes.get("nd331-2026")
    return defaults


def _owner_body(unit: Unit) -> str:
    if unit.kind in (K.ENTERPRISE, K.ISP):
        return unit.name
    if unit.kind == K.WARD:
        return f"UBND {unit.name}"
    return "UBND tỉnh Ninh Bình"


def _approver(unit: Unit, decided: datetime.date | None = None) -> str:
    """Who signed the level decision on that date: the district-level city until 30/06/2025."""
    if unit.kind in (K.ENTERPRISE, K.ISP):
        return f"Giám đốc {unit.name}"
    if decided is not None and bodies.district_level_exists(decided):
        return "Chủ tịch UBND thành phố Tam Điệp"
    return "Chủ tịch UBND tỉnh Ninh Bình"


def _load_systems(units: dict[str, Unit]) -> dict[tuple[str, str], InformationSystem]:
    regimes = {r.code: r for r in SecurityRegime.objects.all()}
    systems = {}
    for number, (code, row) in enumerate(system_rows()):
        unit = units[code]
        systems[code, row[0]], _ = _find_or_create(
            InformationSystem,
            {"unit": unit, "name": row[0]},
            _system_defaults(unit, row, number, regimes),
        )
    return systems


def _internal_range(index: int) -> str:
    return f"10.20.{index + 1}.0/24"


def _load_ranges(units: dict[str, Unit]) -> None:
    for index, spec in enumerate(UNITS):
        unit = units[spec.code]
        rows: list[tuple[str, str | None, bool, str]] = [
            (_internal_range(index), None, False, "Mạng nội bộ")
        ]
        rows += _PUBLIC_RANGES.get(spec.code, [])
        for text, provider, nat, note in rows:
            text = iprange.format_range(iprange.parse_range(text))
            scope = IpRange.Scope.INTERNAL if text.startswith("10.") else IpRange.Scope.PUBLIC
            defaults = {
                "scope": scope,
                "provider": units[provider] if provider else None,
                "nat_egress": nat,
                "note": note,
            }
            _find_or_create(IpRange, {"unit": unit, "text": text}, defaults)


def _load_domains(units: dict[str, Unit], systems: dict) -> None:
    for code, name, system_name in _DOMAINS:
        name = normalize_domain(name)
        defaults = {
            "url": f"https://{name}/",
            "system": systems.get((code, system_name)) if system_name else None,
        }
        _find_or_create(Domain, {"unit": units[code], "name": name}, defaults)


def _load_people(units: dict[str, Unit]) -> tuple[DemoAccounts, dict[str, Person]]:
    """The demo logins (a password only for a new account) and each unit's admin person."""
    user_model = get_user_model()
    accounts = DemoAccounts()
    accounts.existing = set()
    owners: dict[str, Person] = {}
    hashed = ""
    for code, username, full_name, title, role in ACCOUNTS:
        email = f"{username}@{next(s.mail for s in UNITS if s.code == code)}"
        user = user_model.objects.filter(username=username).first()
        if user is None:
            # One hash for all: PBKDF2 costs ~0.3 s a time, and the password is public anyway.
            hashed = hashed or make_password(DEMO_PASSWORD)
            family, _, given = full_name.rpartition(" ")
            user = user_model.objects.create(
                username=username, email=email, first_name=given, last_name=family, password=hashed
            )
        else:
            accounts.existing.add(username)
        person, _ = _find_or_create(
            Person,
            {"unit": units[code], "user": user},
            {"full_name": full_name, "title": title, "email": email, "role": role},
        )
        if role == R.UNIT_ADMIN:
            owners[code] = person
        accounts.append({"username": username, "password": DEMO_PASSWORD, "role": role,
                         "unit": code})  # fmt: skip
    return accounts, owners


@dataclass(frozen=True)
class _HostSpec:
    hostname: str
    kind: str
    os: str
    ipv4: str
    ipv6: str | None
    location: str
    criticality: str


def host_specs(index: int, spec: UnitSpec, rng: random.Random) -> list[_HostSpec]:
    """The hosts of one unit: servers, workstations and network devices in its 10.20.x/24."""
    net = f"10.20.{index + 1}"
    v6 = [ipaddress.ip_network(t) for t, *_ in _PUBLIC_RANGES.get(spec.code, []) if ":" in t]
    servers, workstations, devices = spec.hosts
    hosts = []
    for n in range(1, devices + 1):
        name = "fw01" if n == 1 else f"sw{n - 1:02d}"
        hosts.append(
            _HostSpec(
                f"{spec.code}-{name}",
                Host.Kind.NETWORK,
                rng.choice(_NETWORK_OS),
                f"{net}.{n}",
                None,
                "Tủ mạng tầng 1",
                Host.Criticality.HIGH,
            )
        )
    for n in range(1, servers + 1):
        ipv6 = str(v6[0][0x10 + n]) if v6 else None
        hosts.append(
            _HostSpec(
                f"{spec.code}-srv{n:02d}",
                Host.Kind.SERVER,
                rng.choice(_SERVER_OS),
                f"{net}.{10 + n}",
                ipv6,
                "Phòng máy chủ",
                rng.choice([Host.Criticality.HIGH, Host.Criticality.CRITICAL]),
            )
        )
    for n in range(1, workstations + 1):
        hosts.append(
            _HostSpec(
                f"{spec.code}-pc{n:03d}",
                Host.Kind.WORKSTATION,
                rng.choice(_DESKTOP_OS),
                f"{net}.{50 + n}",
                None,
                f"Phòng làm việc số {rng.randrange(1, 12)}",
                rng.choice([Host.Criticality.LOW, Host.Criticality.MEDIUM]),
            )
        )
    return hosts


def _load_hosts(units: dict[str, Unit], systems: dict, owners: dict[str, Person]) -> None:
    """Bulk-create the missing hosts and link each new server to its unit's systems."""
    rng = random.Random(SEED + 1)  # noqa: S311 - repeatable demo data
    existing = set(Host.objects.values_list("unit_id", "hostname"))
    new: list[Host] = []
    for index, spec in enumerate(UNITS):
        unit = units[spec.code]
        owner = owners.get(spec.code)
        for n, h in enumerate(host_specs(index, spec, rng)):
            if (unit.pk, h.hostname) in existing:
                continue
            mac = f"02:20:{index:02x}:00:{n >> 8:02x}:{n & 255:02x}"  # locally administered
            new.append(Host(unit=unit, hostname=h.hostname, kind=h.kind, os=h.os, ipv4=h.ipv4,
                            ipv6=h.ipv6, mac=mac, location=h.location, criticality=h.criticality,
                            owner=owner if h.kind == Host.Kind.SERVER else None))  # fmt: skip
    if not new:
        return
    Host.objects.bulk_create(new, batch_size=500)
    _link_servers(units, systems, [h.hostname for h in new if h.kind != Host.Kind.WORKSTATION])
    # Bulk writes fire no per-row signals: one entry records them all.
    audit.write("import", None, {"created": len(new)}, model="inventory.host",
                object_repr=f"{len(new)} demo hosts")  # fmt: skip


def _link_servers(units: dict[str, Unit], systems: dict, hostnames: list[str]) -> None:
    by_unit: dict[int, list[InformationSystem]] = {}
    for (_code, _name), system in systems.items():
        by_unit.setdefault(system.unit_id, []).append(system)
    through = Host.systems.through
    links = []
    hosts = Host.objects.filter(hostname__in=hostnames, unit__in=units.values())
    for host in hosts.order_by("unit_id", "hostname"):
        candidates = by_unit.get(host.unit_id, [])
        if host.kind == Host.Kind.NETWORK:
            candidates = [s for s in candidates if s.subtype == S.NETWORK]
        for offset in range(min(2, len(candidates))):
            system = candidates[(hash_index(host.hostname) + offset) % len(candidates)]
            links.append(through(host_id=host.pk, informationsystem_id=system.pk))
    through.objects.bulk_create(links, ignore_conflicts=True)


def hash_index(text: str) -> int:
    """A stable small number from a text (Python's hash() changes between runs)."""
    return sum(text.encode())


demo.register("city", load, order=0)
