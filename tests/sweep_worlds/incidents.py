"""The incidents area in the tenancy sweep: one ward's case with an observable, a task, a
person, evidence, a report and the ward's own contact (the alerts area builds the plain
incident that /incidents/<pk>/ and /api/incidents/<pk>/ name)."""

from __future__ import annotations

from django.core.files.base import ContentFile

from citysoc.incidents import observables, opening
from citysoc.incidents.models import Contact, Evidence, Participant, Report, Task

# /incidents/reports/<pk>/docx/, /incidents/evidence-files/<pk>/
MODELS = {"reports": "incidentreport", "evidence-files": "incidentevidence"}
POST_ONLY = {"incidents:act", "incidents:edit", "incidents:open-from"}
QUERY_VARIANTS = {
    "incidents:home": ["", "?status=all", "?unit=ward-b", "?unit=ward-a", "?kind=malware"],
    "incidents:search": ["?q=mark", "?q=203.0.113", "?q=example"],
    "incidents:summary": ["?unit=ward-a", "?unit=ward-b"],
}


def build(unit, officer, letter: str, third_octets: str) -> dict[str, int]:
    case = opening.open_by_hand(
        unit, by=officer, title=f"MARK-{letter} case", severity="high", kind="malware",
        description=f"MARK-{letter} description",
    )  # fmt: skip
    observables.add(case, f"mark-{letter.lower()}.example")
    observables.add(case, f"{third_octets}.99")
    Task.objects.create(incident=case, phase="contain", title=f"MARK-{letter} isolate")
    Participant.objects.create(incident=case, name=f"MARK-{letter} responder")
    evidence = Evidence.objects.create(
        incident=case,
        file=ContentFile(b"log", f"mark-{letter.lower()}-fw.log"),
        name=f"mark-{letter.lower()}-fw.log",
        size=3,
        sha256="0" * 64,
    )
    report = Report.objects.create(unit=unit, incident=case, form="03", text=f"MARK-{letter}")
    Contact.objects.create(unit=unit, kind="unit", name=f"MARK-{letter} contact")
    return {"incidentreport": report.pk, "incidentevidence": evidence.pk}
