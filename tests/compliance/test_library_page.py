"""A page per library listing every row with its source, official state and validity, and
the city view's count of rows still unconfirmed."""

from __future__ import annotations

import pytest

from citysoc.compliance import libraries, library_sources
from citysoc.compliance.models import Library

ND85 = libraries.SHIPPED_DIR / "nd85-tt12-tcvn11930.yaml"
ND331 = libraries.SHIPPED_DIR / "nd331-tcvn14423.yaml"


@pytest.fixture
def loaded(db):
    libraries.load_file(ND85)
    libraries.load_file(ND331)
    return {lib.ref_id: lib for lib in Library.objects.all()}


def test_the_library_page_lists_every_row_with_source_state_and_validity(
    client_as, officer_a, loaded
):
    nd331 = loaded["TCVN14423-2026"]
    page = client_as(officer_a).get(f"/compliance/libraries/{nd331.pk}/").content.decode()
    assert page.count('id="req-') == nd331.requirements.count()
    assert page.count('id="duty-') == nd331.duties.count()
    assert "Điều 15 khoản 3" in page  # the criteria table
    assert "Mẫu 08" in page and "Điều 23 khoản 3 điểm b" in page  # the procedure
    assert "TCVN 14423:2026" in page  # the edition
    # A duty valid from the decree's date shows it.
    assert 'data-duty-valid="incident-report">19/08/2026–' in page


def test_the_city_view_counts_rows_still_unconfirmed(client_as, city_admin, loaded):
    counts = {c.library.ref_id: c for c in library_sources.source_counts()}
    nd85, nd331 = counts["TT12-TCVN11930"], counts["TCVN14423-2026"]
    # The rebuilt Decree 85 checklist: every annex row official; one duty stays unconfirmed.
    assert nd85.rows - nd85.official == 1
    assert nd85.guidance_unconfirmed > 0
    assert nd331.unconfirmed > 50  # TCVN 14423 items, not yet read in a primary text
    page = client_as(city_admin).get("/compliance/city/").content.decode()
    assert 'data-testid="library-sources"' in page
    assert f'<span class="badge warn">{nd331.unconfirmed}</span>' in page
