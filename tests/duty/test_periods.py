import datetime as dt

import pytest

from citysoc.duty import periods


@pytest.mark.parametrize(
    "year,tet",
    [
        (2024, dt.date(2024, 2, 10)),  # Giáp Thìn
        (2025, dt.date(2025, 1, 29)),  # Ất Tỵ
        (2026, dt.date(2026, 2, 17)),  # Bính Ngọ
    ],
)
def test_tet_day_follows_the_lunar_calendar(year, tet):
    assert periods.tet_day(year) == tet


def test_the_tet_period_runs_from_days_before_to_days_after():
    assert periods.tet_period(2024, 3, 5) == (dt.date(2024, 2, 7), dt.date(2024, 2, 15))
    assert periods.tet_period(2025, 2, 4) == (dt.date(2025, 1, 27), dt.date(2025, 2, 2))


def test_negative_days_are_refused():
    with pytest.raises(ValueError, match="negative"):
        periods.tet_period(2025, -1, 3)


def test_the_coming_tet_is_next_years_once_this_years_period_is_over():
    assert periods.coming_tet_year(dt.date(2025, 1, 10)) == 2025
    assert periods.coming_tet_year(dt.date(2025, 2, 3)) == 2025  # mùng 6: still in the period
    assert periods.coming_tet_year(dt.date(2025, 11, 29)) == 2026
