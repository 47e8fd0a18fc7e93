"""One open item of every area on main for a unit, for the work page and scoreboard tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from citysoc.alerts import intake
from citysoc.alerts.models import Incident
from citysoc.awareness import programmes
from citysoc.awareness.models import Programme
from citysoc.compliance import assessing
from citysoc.compliance.models import Library
from citysoc.core.models import Person
from citysoc.directives import issuing
from citysoc.directives.models import ActionItem
from citysoc.duty.models import Handover
from citysoc.incidents.models import Task
from citysoc.vulns.models import Finding as VulnFinding
from citysoc.webwatch.models import Finding as WebFinding
from citysoc.webwatch.models import Monitor
from tests import factories
from tests.compliance.test_assessing import make_library


def build(unit, officer, letter: str, *, today: dt.date, ip: str = "") -> None:
    """Items of `unit` marked `MARK-<letter>`: due in the past, this week, later, undated."""
    now = timezone.now()
    directive = factories.make_directive(unit.parent, subject=f"V/v MARK-{letter} Tết")
    directive.recipient_units.add(unit)
    ActionItem.objects.filter(directive=directive, order=1).update(
        due_date=today - dt.timedelta(days=2)
    )
    ActionItem.objects.filter(directive=directive, order=2).update(
        due_date=today + dt.timedelta(days=20)
    )
    issuing.issue(directive, by=None)
    system = factories.make_system(unit, name=f"MARK-{letter} portal", level=2)
    if ip:
        factories.make_host(unit, hostname=f"mark-{letter.lower()}-pc", ipv4=ip)
    library = Library.objects.first() or make_library()
    assessment = assessing.start(system, library, by=officer)
    assessing.answer(
        assessment.items.first(),
        by=officer,
        status="not_met",
        gap_owner="IT",
        gap_due=today + dt.timedelta(days=3),
    )
    monitor = Monitor.objects.create(
        unit=unit, name=f"MARK-{letter} site", url=f"https://mark-{letter.lower()}.example/"
    )
    WebFinding.objects.create(
        unit=unit,
        monitor=monitor,
        check_name="defacement",
        severity="critical",
        title=f"MARK-{letter} defaced",
        first_seen=now,
        last_seen=now,
    )
    giver = Person.objects.create(unit=unit, full_name=f"MARK-{letter} An", role="operator")
    Handover.objects.create(unit=unit, from_person=giver, to_person=giver, note="MARK")
    intake.raise_alert(
        unit,
        kind="system",
        dedup_key=f"mark-{letter}",
        severity="high",
        summary=f"MARK-{letter} alert",
    )
    programme = Programme.objects.create(
        unit=unit, name=f"MARK-{letter} Tết", starts_on=today - dt.timedelta(days=5)
    )
    programme.courses.add(factories.make_course(title=f"MARK-{letter} course"))
    programme.audience_units.add(unit)
    programmes.assign(programme, today=today)
    incident = Incident.objects.create(unit=unit, title=f"MARK-{letter} incident", severity="high")
    Task.objects.create(incident=incident, phase=Task.Phase.values[0], title="Isolate", due_at=now)
    VulnFinding.objects.create(
        unit=unit,
        tool="nmap",
        title=f"MARK-{letter} CVE-2023-38408",
        severity="critical",
        first_seen=now,
        last_seen=now,
        dedupe_key=f"mark-{letter}",
    )


def botnet_list(*ips: str) -> None:
    """The city imports a botnet list naming `ips`: a clean-up task per registered host."""
    from citysoc.intel import importing

    source = importing.source_named("Work botnet list")
    version, _ = importing.receive(source, "\n".join(ips).encode() + b"\n", "list.txt")
    importing.process(version)
