"""The bodies in force on a date: the 2025 reorganisation as data."""

import datetime as dt

import pytest

from citysoc.lib import bodies


def test_the_department_of_information_and_communications_ends_on_28_february_2025():
    assert bodies.in_force("provincial_ict", dt.date(2025, 2, 28)).short == "Sở TT&TT"
    assert bodies.in_force("provincial_ict", dt.date(2025, 3, 1)).short == "Sở KH&CN"


def test_network_security_passes_to_the_police_from_1_march_2025():
    before = bodies.in_force("provincial_security", dt.date(2024, 12, 1))
    after = bodies.in_force("provincial_security", dt.date(2027, 1, 5))
    assert before.name == "Sở Thông tin và Truyền thông"
    assert after.abbreviation == "PA05" and after.name.startswith("Công an tỉnh")
    assert bodies.in_force("national_security", dt.date(2027, 1, 5)).abbreviation == "A05"


def test_every_role_has_exactly_one_body_on_any_day():
    for day in (
        dt.date(2016, 7, 1),
        dt.date(2025, 2, 28),
        dt.date(2025, 3, 1),
        dt.date(2030, 1, 1),
    ):
        for role, versions in bodies.all_bodies().items():
            assert sum(v.in_force(day) for v in versions) == 1, (role, day)


def test_every_version_names_its_source_and_unchecked_contacts_say_so():
    for versions in bodies.all_bodies().values():
        for version in versions:
            assert version.source
    assert bodies.in_force("national_cert", dt.date(2027, 1, 1)).confirmed is False


def test_an_unknown_role_names_the_data_file():
    with pytest.raises(bodies.UnknownBodyError, match="bodies.yaml"):
        bodies.in_force("ministry_of_magic", dt.date(2027, 1, 1))


def test_the_ministry_for_it_is_science_and_technology_from_1_march_2025():
    assert bodies.in_force("national_ict", dt.date(2025, 2, 28)).short == "Bộ TT&TT"
    assert bodies.in_force("national_ict", dt.date(2025, 3, 1)).short == "Bộ KH&CN"


def test_incident_reports_go_to_the_police_from_1_march_2025():
    assert bodies.in_force("incident_recipient", dt.date(2024, 6, 1)).short == "VNCERT/CC"
    after = bodies.in_force("incident_recipient", dt.date(2027, 1, 5))
    assert after.abbreviation == "PA05" and "Bộ Công an" in after.name


def test_the_contacts_of_a_date_name_no_body_abolished_before_it():
    shorts = [b.short for b in bodies.contacts_on(dt.date(2027, 1, 1))]
    assert shorts[:2] == ["Công an tỉnh (PA05)", "Cục A05, Bộ Công an"]
    assert "Cục ATTT" not in shorts
    # VNCERT/CC and NCSC as the sources give them, marked unconfirmed.
    assert [b.confirmed for b in bodies.contacts_on(dt.date(2027, 1, 1)) if b.short == "NCSC"] == [
        False
    ]


@pytest.mark.parametrize(
    ("name", "day", "word", "offices"),
    [
        ("Thành phố Tam Điệp", dt.date(2024, 1, 10), "thành phố", "các phòng, ban, ngành"),
        ("Tỉnh Ninh Bình", dt.date(2027, 1, 10), "tỉnh", "các sở, ban, ngành"),
        ("Phường Tam Điệp", dt.date(2027, 1, 10), "phường", "các phòng chuyên môn"),
        ("Xã Gia Viễn", dt.date(2027, 1, 10), "xã", "các phòng chuyên môn"),
    ],
)
def test_the_tier_of_a_top_unit_follows_the_two_level_reform(name, day, word, offices):
    tier = bodies.local_tier(name, day)
    assert (tier.word, tier.offices) == (word, offices)
    assert bodies.district_level_exists(dt.date(2025, 6, 30))
    assert not bodies.district_level_exists(dt.date(2025, 7, 1))
