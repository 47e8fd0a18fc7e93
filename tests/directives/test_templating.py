import datetime as dt

import pytest

from citysoc.directives.templating import TemplateError, can_chi, instantiate_template, tet_day


def test_the_lunar_year_is_named_in_the_sixty_year_cycle():
    assert can_chi(2024) == "Giáp Thìn"
    assert can_chi(2025) == "Ất Tỵ"
    assert can_chi(2026) == "Bính Ngọ"


def test_tet_falls_on_the_known_days():
    assert tet_day(2024) == dt.date(2024, 2, 10)
    assert tet_day(2026) == dt.date(2026, 2, 17)


@pytest.mark.parametrize(
    "year,tet,name",
    [(2025, dt.date(2025, 1, 29), "Ất Tỵ"), (2027, dt.date(2027, 2, 6), "Đinh Mùi")],
)
def test_the_tet_template_makes_a_draft_dated_before_that_years_tet(city, year, tet, name):
    directive = instantiate_template("tet", year=year)
    assert directive.status == "draft"
    assert directive.unit == city
    assert f"Tết Nguyên đán {name} {year}" in directive.subject
    assert directive.subject.startswith("V/v ")
    assert directive.date == tet - dt.timedelta(days=25)
    assert directive.place == "Tam Điệp"
    assert directive.issuing_body.splitlines() == ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ TAM ĐIỆP"]
    assert directive.signature_lines() == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    items = list(directive.items.all())
    assert len(items) == 9
    assert all(i.due_date is not None and i.due_date < tet for i in items)
    assert [i.area for i in items[:5]] == ["inventory", "duty", "botnet", "vulns", "awareness"]
    assert sum(i.applies_to_kinds == ["isp"] for i in items) == 3
    contacts = items[-1].text
    for hotline in ("024.3640.4421", "086.9100.317", "ir@vncert.vn", "0389.942.878"):
        assert hotline in contacts


def test_an_unknown_template_or_a_missing_city_is_refused(db):
    with pytest.raises(TemplateError, match="no city unit"):
        instantiate_template("tet", year=2025)
    with pytest.raises(TemplateError, match="no template 'eid'"):
        instantiate_template("eid", year=2025)
