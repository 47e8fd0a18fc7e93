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
