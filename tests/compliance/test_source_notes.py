"""Source notes of library items are on the library's page, not in every officer's checklist."""

from __future__ import annotations

import pytest

from citysoc.compliance import assessing, libraries
from citysoc.compliance.models import Duty, Library
from tests import factories

ND331 = libraries.SHIPPED_DIR / "nd331-tcvn14423.yaml"
DEVELOPER_NOTES = (
    "[UNCONFIRMED]",
    "unofficial checklist",
    "TCVN14423-KIT",
    "per VNH",
    "third-party",
)


@pytest.fixture
def nd331(db) -> Library:
    libraries.load_file(ND331)
    return Library.objects.get(urn="urn:citysoc:library:nd331-tcvn14423")


def test_the_checklist_shows_a_source_mark_not_the_developers_note(
    client_as, officer_a, unit_a, nd331
):
    system = factories.make_system(unit_a, name="Cổng phường", level=3)
    assessment = assessing.start(system, nd331, by=officer_a)
    client = client_as(officer_a)

    page = client.get(f"/compliance/assessments/{assessment.pk}/").content.decode()

    for note in DEVELOPER_NOTES:
        assert note not in page
    item = assessment.items.select_related("requirement").filter(requirement__official=False)[0]
    mark = f'/compliance/libraries/{nd331.pk}/#req-{item.requirement.pk}"'
    assert mark in page
    assert "nguồn (chưa đối chiếu)" in page
    single = client.get(f"/compliance/assessment-items/{item.pk}/").content.decode()
    assert mark in single and "[UNCONFIRMED]" not in single


def test_the_library_page_lists_every_items_source_note(client_as, officer_a, nd331):
    page = client_as(officer_a).get(f"/compliance/libraries/{nd331.pk}/").content.decode()
    requirement = nd331.requirements.filter(official=False).first()
    assert f'id="req-{requirement.pk}"' in page
    assert requirement.source in page  # the maintainer's note, in full, here
    duty = Duty.objects.filter(library=nd331).exclude(source="").first()
    assert f'id="duty-{duty.pk}"' in page and duty.source in page
    assert "chưa đối chiếu" in page  # the count of unverified items, in plain words
