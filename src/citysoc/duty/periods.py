"""Holiday periods for rosters, computed from the calendar for any year.

Tết (Lunar New Year's Day, mùng 1 tháng Giêng) moves every year between late January and
mid-February. The `holidays` library carries Vietnam's lunar calendar; we read Tết from
its Vietnamese holiday list rather than converting dates ourselves.
"""

from __future__ import annotations

import datetime as dt

import holidays

TET_NAME = "Lunar New Year"
DEFAULT_DAYS_BEFORE = 3
DEFAULT_DAYS_AFTER = 5


def tet_day(year: int) -> dt.date:
    """Lunar New Year's Day (mùng 1 Tết) of the lunar year starting in `year`."""
    calendar = holidays.country_holidays("VN", years=[year], language="en_US")
    for day, name in calendar.items():
        if name == TET_NAME:
            return day
    raise ValueError(f"the holidays library has no Lunar New Year for {year}")


def tet_period(
    year: int, days_before: int = DEFAULT_DAYS_BEFORE, days_after: int = DEFAULT_DAYS_AFTER
) -> tuple[dt.date, dt.date]:
    """(first day, last day) of the Tết duty period: from `days_before` days before Tết to
    `days_after` days after it."""
    if days_before < 0 or days_after < 0:
        raise ValueError("days before and after Tết cannot be negative")
    day = tet_day(year)
    return day - dt.timedelta(days=days_before), day + dt.timedelta(days=days_after)


def coming_tet_year(today: dt.date, days_after: int = DEFAULT_DAYS_AFTER) -> int:
    """The year of the next Tết whose period is not over yet on `today`."""
    year = today.year
    return year if tet_day(year) + dt.timedelta(days=days_after) >= today else year + 1
