"""Work on a finding: assign, comment, evidence, fixed until a scan confirms it, accepted
risk that expires and reopens, false positive; reminders and the KEV alert."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from citysoc.alerts.models import Alert
from citysoc.core.models import Person
from citysoc.notify import outbox
from citysoc.vulns import work
from citysoc.vulns.importing import import_report
from citysoc.vulns.models import Finding, FindingNote, KnownExploited
from citysoc.vulns.parsers import nmap
from tests import factories
from tests.vulns.support import FIXTURES, make_finding

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

VULNERS = (FIXTURES / "nmap" / "vulners.xml").read_bytes()
PATCHED = VULNERS.replace(b'<script id="vulners"', b'<script id="other"')
CVE = "CVE-2023-38408"


@pytest.fixture
def scanned(unit_a):
    """The ward's web server on a level-3 system, scanned once."""
    system = factories.make_system(unit_a, level=3, name="Cổng thông tin phường")
    host = factories.make_host(unit_a, hostname="web", ipv4="192.0.2.10")
    host.systems.add(system)
    import_report(nmap.parse(VULNERS), unit_a, file_name="vulners.xml")
    return Finding.objects.get(unit=unit_a, title=CVE)


def test_assign_only_to_a_person_of_the_findings_unit(scanned, officer_a, unit_b):
    person = Person.objects.create(unit=scanned.unit, full_name="Lê Thị Hoa")
    work.assign(scanned, person, by=officer_a)
    assert Finding.objects.get(pk=scanned.pk).assignee == person
    stranger = Person.objects.create(unit=unit_b, full_name="Trần Văn Nam")
    with pytest.raises(ValidationError):
        work.assign(scanned, stranger, by=officer_a)
    assert scanned.notes.get().kind == FindingNote.Kind.ASSIGNED


def test_a_fix_is_verified_by_the_next_scan_that_no_longer_sees_it(scanned, officer_a):
    work.mark_fixed(scanned, by=officer_a, note="OpenSSH 9.6 installed")
    assert Finding.objects.get(pk=scanned.pk).status == Finding.Status.FIXED
    import_report(nmap.parse(PATCHED), scanned.unit)
    scanned.refresh_from_db()
    assert scanned.status == Finding.Status.MITIGATED
    assert [n.kind for n in scanned.notes.all()] == ["fixed", "verified"]


def test_a_fix_the_next_scan_still_sees_is_reopened(scanned, officer_a):
    work.mark_fixed(scanned, by=officer_a)
    import_report(nmap.parse(VULNERS), scanned.unit)
    assert Finding.objects.get(pk=scanned.pk).status == Finding.Status.REOPENED


def test_accepted_and_false_positive_findings_stay_so_across_scans(scanned, officer_a):
    other = Finding.objects.get(unit=scanned.unit, title="CVE-2021-41617")
    until = timezone.localdate() + dt.timedelta(days=30)
    work.accept_risk(scanned, by=officer_a, reason="Only reachable over the VPN", until=until)
    work.false_positive(other, by=officer_a, reason="Backported fix in the distro package")
    import_report(nmap.parse(VULNERS), scanned.unit)
    assert Finding.objects.get(pk=scanned.pk).status == Finding.Status.ACCEPTED
    assert Finding.objects.get(pk=other.pk).status == Finding.Status.FALSE_POSITIVE


@pytest.mark.parametrize(
    "reason,days,field",
    [("", 30, "reason"), ("VPN only", 0, "until"), ("VPN only", 400, "until")],
)
def test_accepting_a_risk_needs_who_why_and_a_date_within_a_year(
    scanned, officer_a, reason, days, field
):
    until = timezone.localdate() + dt.timedelta(days=days)
    with pytest.raises(ValidationError) as caught:
        work.accept_risk(scanned, by=officer_a, reason=reason, until=until)
    assert field in caught.value.message_dict
    assert Finding.objects.get(pk=scanned.pk).status == Finding.Status.OPEN


def test_a_false_positive_needs_a_reason(scanned, officer_a):
    with pytest.raises(ValidationError):
        work.false_positive(scanned, by=officer_a, reason="  ")


def test_an_accepted_risk_expires_reopens_and_tells_the_unit(scanned, officer_a, smtp):
    start = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        until = timezone.localdate() + dt.timedelta(days=10)
        work.accept_risk(scanned, by=officer_a, reason="VPN only", until=until)
        assert work.expire_acceptances() == 0
    with time_machine.travel(start + dt.timedelta(days=11), tick=False):
        assert work.expire_acceptances() == 1
        outbox.send_due()
    scanned.refresh_from_db()
    assert scanned.status == Finding.Status.REOPENED
    assert scanned.notes.last().kind == FindingNote.Kind.EXPIRED
    (mail,) = smtp
    assert "accepted vulnerability risks have expired" in mail["Subject"]
    assert f"/vulns/findings/{scanned.pk}/" in mail.get_payload(decode=True).decode()


def test_due_and_overdue_findings_are_reminded_once_a_day(unit_a, unit_b, officer_a, smtp):
    today = timezone.localdate()
    level3 = factories.make_system(unit_a, level=3)
    late = make_finding(unit_a, system=level3, severity="critical", days_ago=20)  # 15 days
    make_finding(unit_a, severity="low", days_ago=1)  # due in 179 days: not yet
    make_finding(unit_b, severity="critical", days_ago=40)  # nobody to tell in ward B
    result = work.remind_due(today)
    outbox.send_due()
    assert (result.units, result.findings, result.told) == (2, 2, 1)
    (mail,) = smtp
    assert mail["To"] == "officer_a@example.gov.vn"
    assert "1 vulnerabilities to fix, 1 overdue" in mail["Subject"]
    assert f"/vulns/findings/{late.pk}/" in mail.get_payload(decode=True).decode()
    work.remind_due(today)
    outbox.send_due()
    assert len(smtp) == 1  # the same day: nothing new


def test_a_new_kev_finding_on_a_level_3_system_raises_one_alert(unit_a, city):
    KnownExploited.objects.create(cve=CVE, name="OpenSSH ssh-agent RCE", ransomware=False)
    system = factories.make_system(unit_a, level=3, name="Cổng thông tin phường")
    host = factories.make_host(unit_a, hostname="web", ipv4="192.0.2.10")
    host.systems.add(system)
    import_report(nmap.parse(VULNERS), unit_a)
    (alert,) = Alert.objects.filter(source__unit=unit_a)
    assert CVE in alert.summary and "level 3" in alert.summary
    finding = Finding.objects.get(title=CVE)
    assert finding.kev and finding.due_rule == "kev-level3"
    import_report(nmap.parse(VULNERS), unit_a)  # still there: no new alert
    assert Alert.objects.filter(source__unit=unit_a).count() == 1


def test_a_kev_finding_on_a_level_2_system_raises_no_alert(unit_a, city):
    KnownExploited.objects.create(cve=CVE)
    system = factories.make_system(unit_a, level=2)
    host = factories.make_host(unit_a, hostname="web", ipv4="192.0.2.10")
    host.systems.add(system)
    import_report(nmap.parse(VULNERS), unit_a)
    assert Finding.objects.get(title=CVE).due_rule == "kev"
    assert not Alert.objects.exists()


def test_evidence_over_the_upload_limit_is_refused(scanned, officer_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="limit"):
        work.attach(scanned, SimpleUploadedFile("big.png", b"x" * 11), by=officer_a)
    settings.UPLOAD_MAX_BYTES = 1000
    evidence = work.attach(scanned, SimpleUploadedFile("ok.png", b"x" * 11), by=officer_a)
    assert evidence.unit_id == scanned.unit_id and evidence.filename == "ok.png"
