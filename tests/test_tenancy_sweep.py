"""The tenancy sweep: every page and API endpoint, as users of two wards and of each role.

Every URL in the URL registry is walked (a new URL that this test cannot place fails it,
so nobody forgets to think about tenancy). For each, the users of ward A must see nothing
of ward B, must get "not found" for ward B's objects, and must not be able to change them
— and the other way round.
"""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver

from citysoc.compliance import assessing
from citysoc.compliance.models import ItemEvidence, Library
from citysoc.core.models import AuditEntry, Person
from citysoc.directives import issuing
from citysoc.directives.models import Attachment, Evidence
from citysoc.intel import importing
from citysoc.intel.models import CleanupEvidence, CleanupTask, LogFolder, LogUpload, Sighting
from citysoc.inventory.models import Domain, Host, ImportJob, InformationSystem, IpRange
from tests import factories, sweep_worlds
from tests.compliance.test_assessing import make_library

# Path segment → model of the object a <pk> in that path names.
MODELS = {
    "units": "unit",
    "people": "person",
    "systems": "system",
    "hosts": "host",
    "ranges": "range",
    "domains": "domain",
    "import": "importjob",
    "audit": "audit",
    "directives": "directive",
    "assignments": "assignment",
    "evidence": "evidence",
    "attachments": "attachment",
    # Botnet lists (intel): the web pages and the API.
    "sources": "source",
    "versions": "version",
    "indicator-lists": "version",
    "tasks": "cleanuptask",
    "cleanup-tasks": "cleanuptask",
    "cleanup-evidence": "cleanupevidence",
    "sightings": "sighting",
    "logs": "logupload",
    "log-folders": "logfolder",
    # Compliance: the web pages and the API.
    "assessments": "assessment",
    "assessment-items": "assessmentitem",
    "assessment-evidence": "itemevidence",
    "libraries": "library",
}
# Objects that are not a unit's but the city's, seen by every logged-in user: a <pk> of
# theirs is walked with the one shared object as an ordinary page, which must still show
# nothing of the other ward (their unit-owned contents are filtered on the page).
SHARED_MODELS = {
    "library": "a framework library: the regulation's requirements, no unit's data",
    "source": "an indicator list's source: a name and feed state, no unit's data",
    "version": "a list version: counts, and per-unit changes limited to the user's units",
}
# Pages whose whole point is to hand over a list as it came (the other ward's listed
# addresses are in it, with no unit named): only checked for not failing.
WHOLE_LISTS = {
    "intel:version-sensors": "the list for a unit's own IDS/firewall; names no unit",
}
# URLs that take an argument which is not an object of a unit, with the reason.
NOT_UNIT_OBJECTS = {
    "password_reset_confirm": "a signed one-time link, not a unit's object",
}
for _area in sweep_worlds.areas():
    MODELS.update(getattr(_area, "MODELS", {}))
    SHARED_MODELS.update(getattr(_area, "SHARED_MODELS", {}))
    WHOLE_LISTS.update(getattr(_area, "WHOLE_LISTS", {}))
    NOT_UNIT_OBJECTS.update(getattr(_area, "NOT_UNIT_OBJECTS", {}))
# URL names that only take POST (per area): a GET says nothing about who may see the object.
POST_ONLY: set[str] = set()
for _area in sweep_worlds.areas():
    POST_ONLY.update(getattr(_area, "POST_ONLY", ()))
SKIPPED_PREFIXES = ("django-admin/",)  # superuser-only Django admin; staff flag never set
QUERY_VARIANTS = {
    # Filters must not be a way round tenancy.
    "list": ["", "?unit=ward-b", "?within=ward-b", "?unit=ward-a", "?q=mark"],
    "inventory:export": [
        f"?kind={k}&format={f}"
        for k in ("units", "people", "systems", "hosts", "ranges", "domains")
        for f in ("csv", "xlsx")
    ],
    "inventory:lookup": ["?q=198.51.100.7", "?q=mark-b.example.gov.vn", "?q=192.0.2.7"],
}
for _area in sweep_worlds.areas():
    QUERY_VARIANTS.update(getattr(_area, "QUERY_VARIANTS", {}))


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{p.namespace}:" if p.namespace else ""
            for path, name in _walk(p.url_patterns, prefix + str(p.pattern)):
                yield path, (ns + name if name and ":" not in name else name)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.name or ""


def all_urls() -> list[tuple[str, str]]:
    return [
        (path, name)
        for path, name in _walk(get_resolver().url_patterns)
        if not path.startswith(SKIPPED_PREFIXES)
    ]


def _concrete(path: str, pk: int | None) -> str:
    """Turn a route or regex into a real path, with `pk` for the object argument."""
    path = path.replace("^", "").replace("$", "").replace("/?", "")
    path = re.sub(r"\(\?P<format>[^)]*\)", "json", path)
    path = path.replace("<drf_format_suffix:format>", ".json")
    path = path.replace("\\.", ".")
    path = re.sub(r"<slug:kind>", "hosts", path)
    path = re.sub(r"<int:pk>|\(\?P<pk>[^)]*\)", str(pk), path)
    return "/" + path


def _model_of(path: str) -> str | None:
    if "pk>" not in path:
        return None
    segments = [s for s in re.split(r"[/^]", path) if s]
    for seg in reversed(segments[: [i for i, s in enumerate(segments) if "pk>" in s][0]]):
        if seg in MODELS:
            return MODELS[seg]
    raise AssertionError(f"the tenancy sweep cannot place the object URL {path}")


def _body(response) -> str:
    """The text a user would see, whether HTML, JSON, CSV or a workbook."""
    if getattr(response, "streaming", False):
        data = b"".join(response.streaming_content)
    else:
        data = response.content
    content_type = response.get("Content-Type", "")
    if content_type.startswith("application/vnd.openxmlformats-officedocument.wordprocessing"):
        return _docx_text(data)
    if content_type.startswith("application/vnd.openxmlformats"):
        return _xlsx_text(data)
    return data.decode("utf-8", errors="replace")


def _docx_text(data: bytes) -> str:
    import io

    import docx

    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _xlsx_text(data: bytes) -> str:
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return " ".join(
        str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c
    )


def _world(unit, officer, letter: str, third_octets: str) -> dict[str, object]:
    system = factories.make_system(unit, name=f"MARK-{letter} Cổng thông tin")
    host = factories.make_host(
        unit, hostname=f"mark-{letter.lower()}-host", ipv4=f"{third_octets}.7"
    )
    host.systems.add(system)
    rng = factories.make_range(unit, f"{third_octets}.0/24", note=f"MARK-{letter} range")
    domain = factories.make_domain(unit, f"mark-{letter.lower()}.example.gov.vn", system=system)
    person = Person.objects.create(unit=unit, full_name=f"MARK-{letter} Nguyễn Văn", role="contact")
    job = ImportJob.objects.create(
        unit=unit, user=officer, kind="hosts", filename=f"mark-{letter.lower()}.csv"
    )
    job.file.save(f"mark-{letter.lower()}.csv", ContentFile(b"hostname\n"), save=True)
    audit = AuditEntry.objects.filter(unit=unit).first()
    # A directive sent to this ward only, answered with a report and an evidence file.
    directive = factories.make_directive(unit.parent, subject=f"V/v MARK-{letter} directive")
    directive.recipient_units.add(unit)
    assignment = issuing.issue(directive, by=None)[0]
    assignment.report = f"MARK-{letter} report"
    assignment.save()
    evidence = Evidence.objects.create(
        assignment=assignment,
        unit=unit,
        file=ContentFile(b"evidence", f"mark-{letter.lower()}-evidence.txt"),
        filename=f"mark-{letter.lower()}-evidence.txt",
    )
    attachment = Attachment.objects.create(
        directive=directive,
        file=ContentFile(b"plan", f"mark-{letter.lower()}-plan.txt"),
        filename=f"mark-{letter.lower()}-plan.txt",
    )
    # An assessment of the system with a gap answered and an evidence file.
    library = Library.objects.first() or make_library()
    assessment = assessing.start(system, library, by=officer)
    item = assessment.items.first()
    assessing.answer(
        item, by=officer, status="not_met", note=f"MARK-{letter} note", gap_owner=f"MARK-{letter}"
    )
    item_evidence = ItemEvidence.objects.create(
        item=item,
        file=ContentFile(b"proof", f"mark-{letter.lower()}-proof.txt"),
        filename=f"mark-{letter.lower()}-proof.txt",
    )
    log = LogUpload(unit=unit, filename=f"mark-{letter.lower()}-conn.log", size=8)
    log.file.save(log.filename, ContentFile(b"no match"), save=True)
    folder = LogFolder.objects.create(unit=unit, path=f"/srv/logs/mark-{letter.lower()}")
    areas: dict[str, object] = {}
    for area in sweep_worlds.areas():
        areas.update(area.build(unit, officer, letter, third_octets))
    return {
        **areas,
        "unit": unit.pk,
        "system": system.pk,
        "host": host.pk,
        "range": rng.pk,
        "domain": domain.pk,
        "person": person.pk,
        "importjob": job.pk,
        "audit": audit.pk,
        "directive": directive.pk,
        "assignment": assignment.pk,
        "evidence": evidence.pk,
        "attachment": attachment.pk,
        "logupload": log.pk,
        "logfolder": folder.pk,
        "assessment": assessment.pk,
        "assessmentitem": item.pk,
        "itemevidence": item_evidence.pk,
        "library": library.pk,
        "markers": [f"MARK-{letter}", f"mark-{letter.lower()}", f"{third_octets}.", unit.name],
    }


@pytest.fixture
def world(unit_a, unit_b, officer_a, officer_b, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.LANGUAGE_CODE = "en"
    world = {
        "a": _world(unit_a, officer_a, "A", "192.0.2"),
        "b": _world(unit_b, officer_b, "B", "198.51.100"),
    }
    _botnet_list(world)
    return world


def _botnet_list(world: dict) -> None:
    """One city list naming each ward's host: a sighting, a task and evidence per ward."""
    source = importing.source_named("Sweep botnet list")
    version, _ = importing.receive(source, b"192.0.2.7\n198.51.100.7\n", "sweep.txt")
    importing.process(version)
    for letter, own in world.items():
        task = CleanupTask.objects.get(unit_id=own["unit"])
        evidence = CleanupEvidence.objects.create(
            task=task,
            file=ContentFile(b"clean", f"mark-{letter}-scan.txt"),
            filename=f"mark-{letter}-scan.txt",
        )
        own.update(
            source=source.pk,
            version=version.pk,
            cleanuptask=task.pk,
            cleanupevidence=evidence.pk,
            sighting=Sighting.objects.get(unit_id=own["unit"]).pk,
        )


def _urls_for(own: dict, other: dict):
    """(url, expectation) for every URL: 'own', 'other' (must be hidden) or 'page'."""
    for path, name in all_urls():
        if name in NOT_UNIT_OBJECTS:
            continue
        model = _model_of(path)
        if model in SHARED_MODELS:
            yield _concrete(path, own[model]), "page", name
        elif model is None:
            variants = QUERY_VARIANTS.get(name) or (
                QUERY_VARIANTS["list"] if name.endswith("-list") else [""]
            )
            for query in variants:
                yield _concrete(path, None) + query, "page", name
        else:
            yield _concrete(path, own[model]), "own", name
            yield _concrete(path, other[model]), "other", name


def _leaks(text: str, markers: list[str], url: str = "") -> list[str]:
    # A search page may echo what the user typed ("nothing found for 198.51.100.7"):
    # that is the user's own input, not the other ward's data.
    query = url.partition("?q=")[2]
    if query:
        text = text.replace(query, "")
    return [m for m in markers if m in text]


@pytest.mark.parametrize("me,them", [("a", "b"), ("b", "a")])
def test_no_page_or_endpoint_shows_the_other_wards_data(
    client, world, me, them, officer_a, officer_b
):
    client.force_login(officer_a if me == "a" else officer_b)
    problems = []
    checked = 0
    for url, kind, name in _urls_for(world[me], world[them]):
        response = client.get(url, HTTP_ACCEPT="text/html,application/json")
        checked += 1
        if response.status_code >= 500:
            problems.append(f"{url}: server error {response.status_code}")
            continue
        if kind == "other":
            # 405: a POST-only URL refuses a GET before it looks at the object.
            if response.status_code not in (403, 404, 405):
                problems.append(f"{url}: the other ward's object answered {response.status_code}")
            continue
        if name in WHOLE_LISTS:
            continue
        leaked = _leaks(_body(response), world[them]["markers"], url)
        if response.status_code == 200 and leaked:
            problems.append(f"{url} ({name}) shows {leaked}")
    assert checked > 60
    assert not problems, "\n".join(problems)


def test_the_sweep_is_not_vacuous_own_objects_open(client, world, officer_a):
    client.force_login(officer_a)
    closed = []
    for url, kind, name in _urls_for(world["a"], world["b"]):
        if kind != "own" or name.startswith("audit") or name.endswith("-delete"):
            continue
        if name in {
            "inventory:import-confirm",
            "inventory:import-rejected",
            "inventory:import-errors",
        }:
            continue  # only meaningful at a later stage of an import
        if name in {"audit-detail"}:
            continue
        if name in {
            "directives:directive-edit",
            "directives:directive-issue",
            "directive-issue",
            "assessment-complete",
        }:
            continue  # POST-only or city-only: a ward officer gets 403 (edit) or 405 (GET)
        if name in POST_ONLY:
            continue  # the page answers 405 to a GET before it looks the object up
        status = client.get(url, HTTP_ACCEPT="text/html,application/json").status_code
        if status != 200:
            closed.append(f"{url}: {status}")
    assert not closed, "\n".join(closed)


OBJECT_MODELS = {
    "system": InformationSystem,
    "host": Host,
    "range": IpRange,
    "domain": Domain,
    "person": Person,
}


@pytest.mark.parametrize("model", sorted(OBJECT_MODELS))
def test_the_other_wards_objects_cannot_be_changed_or_deleted(client, world, officer_a, model):
    client.force_login(officer_a)
    target = world["b"][model]
    api = {
        "system": "systems",
        "host": "hosts",
        "range": "ranges",
        "domain": "domains",
        "person": "people",
    }
    web_prefix = "/people" if model == "person" else f"/inventory/{api[model]}"
    responses = [
        client.post(
            f"{web_prefix}/{target}/edit/", {"name": "taken over", "unit": world["a"]["unit"]}
        ),
        client.post(f"{web_prefix}/{target}/delete/"),
        client.patch(
            f"/api/{api[model]}/{target}/", {"note": "x"}, content_type="application/json"
        ),
        client.put(
            f"/api/{api[model]}/{target}/", {"unit": "ward-a"}, content_type="application/json"
        ),
        client.delete(f"/api/{api[model]}/{target}/"),
    ]
    assert all(r.status_code in (404, 405) for r in responses), [r.status_code for r in responses]
    assert OBJECT_MODELS[model].objects.filter(pk=target, unit_id=world["b"]["unit"]).exists()


def test_the_other_wards_import_cannot_be_confirmed(client, world, officer_a):
    client.force_login(officer_a)
    job = world["b"]["importjob"]
    response = client.post(f"/inventory/import/{job}/confirm/", {"valid_only": "on"})
    assert response.status_code == 404
    assert ImportJob.objects.get(pk=job).status == ImportJob.Status.UPLOADED


@pytest.mark.parametrize("role", ["operator_a", "viewer_a", "isp_liaison"])
def test_other_roles_see_nothing_of_ward_b(client, world, request, role):
    client.force_login(request.getfixturevalue(role))
    for url, kind, _name in _urls_for(world["a"], world["b"]):
        if kind == "own":
            continue
        response = client.get(url, HTTP_ACCEPT="text/html,application/json")
        assert response.status_code < 500, url
        if kind == "other":
            assert response.status_code in (403, 404, 405), f"{url}: {response.status_code}"
        elif response.status_code == 200 and _name not in WHOLE_LISTS:
            assert not _leaks(_body(response), world["b"]["markers"], url), url
