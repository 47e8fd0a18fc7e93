"""Templates and the demo name the bodies and units in force in their year (two-level local
government from 01/07/2025; the 2025 transfer of network security to the police)."""

from __future__ import annotations

import pytest

from citysoc.core.models import Unit
from citysoc.directives.templating import instantiate_template
from citysoc.inventory import demo
from tests import factories

ABOLISHED_BY_2027 = [
    "Thông tin và Truyền thông",  # Sở / Bộ TT&TT, merged 01/03/2025
    "Cục An toàn thông tin",  # tasks moved to Bộ Công an, 01/03/2025
    "Ủy ban nhân dân thành phố",  # district-level city, abolished 01/07/2025
    "các phòng, ban, ngành",  # the district's offices
    "Thành phố Tam Điệp",
    "VHTT",  # the district's culture and information office
]


def letter_text(directive) -> str:
    parts = [
        directive.symbol,
        directive.issuing_body,
        directive.legal_bases,
        directive.body,
        directive.addressees,
        directive.copies_to,
        *directive.items.values_list("text", flat=True),
    ]
    return " ".join(parts)


@pytest.mark.django_db
def test_a_2027_tet_template_names_no_body_abolished_before_2027():
    factories.make_unit("ninhbinh", kind=Unit.Kind.CITY, name="Tỉnh Ninh Bình")
    directive = instantiate_template("tet", year=2027)
    text = letter_text(directive)
    for gone in ABOLISHED_BY_2027:
        assert gone not in text, gone
    assert "Ủy ban nhân dân tỉnh đề nghị các sở, ban, ngành" in directive.body
    assert directive.issuing_body == "ỦY BAN NHÂN DÂN\nTỈNH NINH BÌNH"
    assert "Công an tỉnh" in text


@pytest.mark.django_db
def test_a_ward_at_the_top_addresses_its_own_offices_and_no_lower_tier():
    factories.make_unit("p-tamdiep", kind=Unit.Kind.WARD, name="Phường Tam Điệp")
    directive = instantiate_template("tet", year=2027)
    assert "Ủy ban nhân dân phường đề nghị các phòng chuyên môn" in directive.body
    assert "các phường, xã" not in directive.body + directive.addressees


@pytest.mark.django_db
def test_a_2024_letter_of_the_district_level_city_keeps_its_2024_wording():
    factories.make_unit("tamdiep", kind=Unit.Kind.CITY, name="Thành phố Tam Điệp")
    directive = instantiate_template("tet", year=2024)
    assert "Ủy ban nhân dân thành phố đề nghị các phòng, ban, ngành" in directive.body
    assert directive.symbol == "UBND-VHTT"
    assert "Sở Thông tin và Truyền thông" in directive.legal_bases


def test_the_demo_names_only_units_that_exist_after_the_reform():
    names = [spec.name for spec in demo.UNITS]
    assert names[0] == "Tỉnh Ninh Bình"
    gone = ("Thành phố ", "Phường Bắc Sơn", "Phường Nam Sơn", "Xã Quang Sơn", "Xã Yên Sơn")
    assert not [n for n in names if n.startswith(gone)]
    assert not [n for n in names if n.startswith("Phòng ")]  # district offices
    wards = [s.name for s in demo.UNITS if s.kind == Unit.Kind.WARD]
    assert {"Phường Tam Điệp", "Phường Trung Sơn", "Phường Yên Sơn", "Phường Yên Thắng"} <= set(
        wards
    )
