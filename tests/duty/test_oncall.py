import datetime as dt
from zoneinfo import ZoneInfo

from citysoc.duty import oncall
from citysoc.duty.models import Layer, Override, Shift
from tests.duty.conftest import TET_2025, make_roster

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=VN)


def names(people) -> list[str]:
    return [p.full_name for p in people]


def test_on_duty_at_the_boundaries(unit_a, tet_roster, duty_people):
    assert names(oncall.on_duty(unit_a, at(TET_2025, 6, 59))) == ["Đỗ Văn Lâm"]
    assert names(oncall.on_duty(unit_a, at(TET_2025, 7))) == ["Officer_A", "Operator_A"]
    assert names(oncall.on_duty(unit_a, at(TET_2025, 19))) == ["Đỗ Văn Lâm"]
    # The period ends at 24:00 of its last day.
    last = tet_roster.ends_on
    assert names(oncall.on_duty(unit_a, at(last, 23, 59))) == ["Đỗ Văn Lâm"]
    assert oncall.on_duty(unit_a, at(last + dt.timedelta(days=1), 0)) == []


def test_nobody_on_duty_for_a_unit_without_roster(unit_b, tet_roster):
    assert oncall.on_duty(unit_b, at(TET_2025, 9)) == []


def test_a_higher_layer_and_an_override_change_who_is_on_duty(unit_a, tet_roster, duty_people):
    top = Layer.objects.create(roster=tet_roster, name="Lãnh đạo", level=2)
    leader = Shift.objects.create(
        roster=tet_roster, layer=top, name="Giao thừa", repeat=Shift.Repeat.ONCE,
        once_start=at(TET_2025 - dt.timedelta(days=1), 22), once_end=at(TET_2025, 2),
    )  # fmt: skip
    leader.people.set([duty_people["huong"]])
    Override.objects.create(
        roster=tet_roster, person=duty_people["lam"], replaces=duty_people["mai"],
        starts_at=at(TET_2025, 12), ends_at=at(TET_2025, 13),
    )  # fmt: skip
    assert names(oncall.on_duty(unit_a, at(TET_2025, 0))) == ["Trịnh Thu Hương"]
    assert names(oncall.on_duty(unit_a, at(TET_2025, 2))) == ["Đỗ Văn Lâm"]
    assert names(oncall.on_duty(unit_a, at(TET_2025, 12, 30))) == ["Officer_A", "Đỗ Văn Lâm"]


def test_city_duty_officers_are_those_of_the_root_units_rosters(city, unit_a, tet_roster):
    from citysoc.core.models import Person

    officer = Person.objects.create(unit=city, full_name="Trần Minh Đức")
    make_roster(city, tet_roster.starts_on, tet_roster.ends_on, day=[officer], night=[officer])
    assert names(oncall.city_duty_officers(at(TET_2025, 10))) == ["Trần Minh Đức"]


def test_gaps_of_a_roster_with_a_hole(unit_a, duty_people):
    roster = make_roster(
        unit_a, TET_2025, TET_2025 + dt.timedelta(days=1), day=[duty_people["hai"]], night=[]
    )
    assert oncall.gaps(roster) == [
        (at(TET_2025, 0), at(TET_2025, 7)),
        (at(TET_2025, 19), at(TET_2025 + dt.timedelta(days=1), 7)),
        (at(TET_2025 + dt.timedelta(days=1), 19), at(TET_2025 + dt.timedelta(days=2), 0)),
    ]


def test_a_full_roster_has_no_gaps(tet_roster):
    assert oncall.gaps(tet_roster) == []


def test_the_board_costs_the_same_queries_for_many_units(
    city, django_assert_max_num_queries, duty_people
):
    from tests import factories

    for n in range(30):
        unit = factories.make_unit(f"ward-{n}", parent=city)
        people = [duty_people["lam"]] if n % 3 else []
        make_roster(unit, TET_2025, TET_2025 + dt.timedelta(days=3), day=people)
    from citysoc.core.models import Unit

    with django_assert_max_num_queries(8):
        rows = oncall.board(Unit.objects.all(), at(TET_2025, 10))
    # 10 wards with nobody on their shifts; the city and ward A have no roster.
    assert sum(r.uncovered for r in rows) == 10 + 2
    staffed = next(r for r in rows if r.unit.code == "ward-1")
    assert names(staffed.now) == ["Đỗ Văn Lâm"]
    assert staffed.until == at(TET_2025, 19)
    # Nobody at night: the next people on duty are the next morning's.
    assert names(staffed.next) == ["Đỗ Văn Lâm"]
    assert staffed.next_at == at(TET_2025 + dt.timedelta(days=1), 7)
