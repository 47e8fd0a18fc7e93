"""The final schedule as a pure function: no database."""

import datetime as dt
from zoneinfo import ZoneInfo

from citysoc.duty import schedule
from citysoc.duty.schedule import OverrideRule, RosterRules, ShiftRule

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: int, hour: int, minute: int = 0, month: int = 2) -> dt.datetime:
    return dt.datetime(2025, month, day, hour, minute, tzinfo=VN)


def day_night(day_people=(1,), night_people=(2,), **extra) -> tuple[ShiftRule, ShiftRule]:
    return (
        ShiftRule(1, "Day", 1, "daily", day_people, dt.time(7), dt.time(19), **extra),
        ShiftRule(2, "Night", 1, "daily", night_people, dt.time(19), dt.time(7), **extra),
    )


def roster(shifts, overrides=(), first=None, last=None) -> RosterRules:
    first, last = first or at(1, 0), last or at(4, 0)
    return RosterRules(1, 10, "Tết", first, last, VN, tuple(shifts), tuple(overrides))


def test_a_night_shift_runs_across_midnight():
    night = day_night()[1]
    occs = schedule.expand(night, at(1, 0), at(2, 0), VN)
    # The night that began the evening before still covers the early hours.
    assert [(o.start, o.end) for o in occs] == [
        (at(31, 19, month=1), at(1, 7)),
        (at(1, 19), at(2, 7)),
    ]


def test_twelve_hour_shifts_are_twelve_hours_in_vietnam_all_year():
    for month in range(1, 13):
        day = dt.datetime(2025, month, 15, 0, tzinfo=VN)
        for occ in schedule.expand(day_night()[1], day, day + dt.timedelta(days=1), VN):
            assert occ.end - occ.start == dt.timedelta(hours=12)
            assert occ.start.utcoffset() == dt.timedelta(hours=7)


def test_on_duty_changes_exactly_at_the_shift_boundary():
    r = roster(day_night())
    assert schedule.on_duty_at(r, at(1, 6, 59)) == {2}
    assert schedule.on_duty_at(r, at(1, 7)) == {1}
    assert schedule.on_duty_at(r, at(1, 18, 59)) == {1}
    assert schedule.on_duty_at(r, at(1, 19)) == {2}


def test_outside_the_period_nobody_is_on_duty():
    r = roster(day_night())
    assert schedule.on_duty_at(r, at(4, 0)) == frozenset()
    assert schedule.on_duty_at(r, at(31, 23, month=1)) == frozenset()
    assert schedule.on_duty_at(r, at(1, 0)) == {2}  # the first hour, from the night before


def test_a_full_roster_has_no_gap():
    assert schedule.gaps(roster(day_night())) == []


def test_a_hole_is_reported_exactly():
    day, night = day_night()
    # Nights only up to the 1st and again from the 3rd: the night of the 2nd is empty.
    night = (1, "daily", (2,), dt.time(19), dt.time(7))
    before = ShiftRule(2, "Night", *night, last_day=dt.date(2025, 2, 1))
    after = ShiftRule(3, "Night", *night, first_day=dt.date(2025, 2, 3))
    assert schedule.gaps(roster([day, before, after])) == [(at(2, 19), at(3, 7))]


def test_a_shift_without_people_is_a_gap():
    assert schedule.gaps(roster(day_night(night_people=()))) == [
        (at(1, 0), at(1, 7)),
        (at(1, 19), at(2, 7)),
        (at(2, 19), at(3, 7)),
        (at(3, 19), at(4, 0)),
    ]


def test_weekly_shifts_run_on_their_weekdays_only():
    # 3 February 2025 is a Monday.
    weekly = ShiftRule(5, "Office", 1, "weekly", (7,), dt.time(8), dt.time(17), frozenset({0, 2}))
    r = roster([weekly], first=at(3, 0), last=at(10, 0))
    days = {o.start.date().day for o in schedule.occurrences(r, r.start, r.end)}
    assert days == {3, 5}


def test_a_higher_layer_wins_where_it_overlaps():
    base = day_night()
    holiday = ShiftRule(9, "Leader", 2, "once", (7,), once_start=at(2, 8), once_end=at(2, 12))
    r = roster([*base, holiday])
    assert schedule.on_duty_at(r, at(2, 7, 30)) == {1}
    assert schedule.on_duty_at(r, at(2, 8)) == {7}
    assert schedule.on_duty_at(r, at(2, 12)) == {1}
    assert schedule.gaps(r) == []


def test_an_override_replaces_everyone_or_one_person():
    both = day_night(day_people=(1, 3))
    everyone = OverrideRule(1, person=8, start=at(2, 9), end=at(2, 10))
    one = OverrideRule(2, person=9, start=at(2, 11), end=at(2, 12), replaces=3)
    r = roster(both, [everyone, one])
    assert schedule.on_duty_at(r, at(2, 9, 30)) == {8}
    assert schedule.on_duty_at(r, at(2, 11, 30)) == {1, 9}
    assert schedule.on_duty_at(r, at(2, 12)) == {1, 3}


def test_an_override_fills_a_gap():
    day, _night = day_night()
    cover = OverrideRule(1, person=5, start=at(1, 19), end=at(2, 7))
    r = roster([day], [cover], last=at(2, 19))
    assert schedule.gaps(r) == [(at(1, 0), at(1, 7))]


def test_merged_rosters_add_up_their_people():
    a = roster(day_night())
    extra = ShiftRule(7, "X", 1, "daily", (5,), dt.time(0), dt.time(12))
    b = RosterRules(2, 10, "Extra", at(1, 0), at(2, 0), VN, (extra,))
    segments = schedule.merged([a, b], at(1, 6), at(1, 13))
    assert [(s.start, s.end, s.people) for s in segments] == [
        (at(1, 6), at(1, 7), {2, 5}),
        (at(1, 7), at(1, 12), {1, 5}),
        (at(1, 12), at(1, 13), {1}),
    ]
