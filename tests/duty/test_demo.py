import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from citysoc.core.models import Unit
from citysoc.duty import demo, oncall, periods
from citysoc.duty.models import Handover, LogEntry, Roster
from tests import factories


@pytest.fixture
def demo_units(db):
    root = factories.make_unit("tamdiep", kind=Unit.Kind.CITY, name="Thành phố Tam Điệp")
    for code in demo.UNITS[1:]:
        factories.make_unit(code, parent=root, name=code)


def test_it_makes_tet_rosters_with_one_gap_in_one_ward_and_is_idempotent(demo_units):
    with time_machine.travel(dt.datetime(2026, 11, 29, 9, tzinfo=dt.UTC), tick=False):
        assert demo.load() == len(demo.UNITS)
        counts = (Roster.objects.count(), LogEntry.objects.count(), Handover.objects.count())
        demo.load()
        assert (
            Roster.objects.count(),
            LogEntry.objects.count(),
            Handover.objects.count(),
        ) == counts
        # The everyday rosters put someone on duty in the city now, outside Tết.
        assert len(oncall.city_duty_officers()) == 1
    assert counts == (5 + len(demo.STANDING_UNITS), 3, 1)
    tet = periods.tet_day(2027)
    for roster in Roster.objects.select_related("unit").exclude(name=demo.STANDING):
        assert (roster.starts_on, roster.ends_on) == periods.tet_period(2027, 3, 5)
        gaps = oncall.gaps(roster)
        if roster.unit.code == demo.GAP_UNIT:
            night = dt.datetime.combine(tet + dt.timedelta(days=1), dt.time(19))
            start = timezone.make_aware(night)
            assert gaps == [(start, start + dt.timedelta(hours=12))]
        else:
            assert gaps == []
    assert (
        len(oncall.city_duty_officers(timezone.make_aware(dt.datetime.combine(tet, dt.time(9)))))
        == 2
    )
