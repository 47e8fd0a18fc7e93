"""The demo city's duty story: a Tết roster for the city and four wards for the coming Tết,
and an everyday roster for the city and Phường Bắc Sơn (someone is on duty today).

12-hour shifts (07:00–19:00, 19:00–07:00) with two people each, drawn from each unit's
duty staff; Xã Yên Sơn's night of mùng 2 is left uncovered on purpose so that the roster
page and the daily gap warning have something to show. A few duty-log entries of the
last two days and one handover (not yet acknowledged) give the log a story.

Idempotent: rosters, people and entries are looked up by their natural key first.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from citysoc.core import audit, demo
from citysoc.core.models import Person, Unit
from citysoc.duty import periods
from citysoc.duty.models import Handover, Layer, LogEntry, Roster, Shift

UNITS = ["tamdiep", "p-bacson", "p-namson", "p-trungson", "x-yenson"]
GAP_UNIT = "x-yenson"
# Invented duty staff: name and phone per unit (four each, two per shift).
STAFF = {
    "tamdiep": [("Trần Minh Đức", "0912 345 001"), ("Nguyễn Thị Hà", "0912 345 002"),
                ("Lê Văn Sơn", "0912 345 003"), ("Phạm Quốc Bảo", "0912 345 004")],
    "p-bacson": [("Nguyễn Văn Hải", "0913 100 001"), ("Hoàng Thị Mai", "0913 100 002"),
                 ("Đỗ Văn Lâm", "0913 100 003"), ("Trịnh Thu Hương", "0913 100 004")],
    "p-namson": [("Bùi Văn Tiến", "0914 200 001"), ("Ngô Thị Thảo", "0914 200 002"),
                 ("Vũ Đức Long", "0914 200 003"), ("Lê Thị Yến", "0914 200 004")],
    "p-trungson": [("Đặng Minh Tuấn", "0915 300 001"), ("Phan Thị Loan", "0915 300 002"),
                   ("Nguyễn Hữu Kiên", "0915 300 003"), ("Dương Thị Nga", "0915 300 004")],
    "x-yenson": [("Đặng Văn Toàn", "0916 400 001"), ("Lý Thị Ngọc", "0916 400 002"),
                 ("Trần Văn Bình", "0916 400 003"), ("Hoàng Văn Nam", "0916 400 004")],
}  # fmt: skip
LOG = [
    (-30, "Kiểm tra hệ thống giám sát tập trung, tường lửa, cổng thông tin điện tử",
     "Hoạt động bình thường", "Không"),
    (-20, "Kiểm tra cảnh báo mã độc trên máy trạm",
     "01 máy trạm bộ phận một cửa có cảnh báo mã độc (trojan)",
     "Cách ly máy khỏi mạng, quét bằng phần mềm diệt virus, báo cáo lãnh đạo"),
    (-6, "Kiểm tra truy cập cổng thông tin điện tử, thư điện tử công vụ",
     "Truy cập bình thường", "Không"),
]  # fmt: skip


def _person(unit: Unit, name: str, phone: str) -> Person:
    person = Person.objects.filter(unit=unit, full_name=name).first()
    if person is None:
        person = Person.objects.create(
            unit=unit, full_name=name, phone=phone, title="Cán bộ trực", role=Person.Role.CONTACT
        )
    elif not person.phone:
        person.phone = phone
        person.save(update_fields=["phone"])
    return person


def _night(roster, layer, people, name, first=None, last=None) -> None:
    shift = Shift.objects.create(
        roster=roster, layer=layer, name=name, repeat=Shift.Repeat.DAILY,
        start_time=dt.time(19), end_time=dt.time(7), first_day=first, last_day=last,
    )  # fmt: skip
    shift.people.set(people)


def _roster(unit: Unit, year: int, staff: list[Person]) -> Roster:
    first, last = periods.tet_period(year, 3, 5)
    name = f"Lịch trực Tết Nguyên đán {year}"
    roster = Roster.objects.filter(unit=unit, name=name).first()
    if roster is not None:
        return roster
    roster = Roster.objects.create(
        unit=unit, name=name, starts_on=first, ends_on=last,
        note="Trực giám sát an toàn thông tin mạng 24/24 theo chỉ đạo của UBND thành phố.",
    )  # fmt: skip
    layer = Layer.objects.create(roster=roster, name="Ca chính", level=1)
    day = Shift.objects.create(
        roster=roster, layer=layer, name="Ca ngày", repeat=Shift.Repeat.DAILY,
        start_time=dt.time(7), end_time=dt.time(19),
    )  # fmt: skip
    day.people.set(staff[:2])
    if unit.code == GAP_UNIT:
        # The night of mùng 2 has nobody: two night rules around it (a deliberate gap).
        tet = periods.tet_day(year)
        _night(roster, layer, staff[2:], "Ca đêm", last=tet + dt.timedelta(days=0))
        _night(roster, layer, staff[2:], "Ca đêm", first=tet + dt.timedelta(days=2))
    else:
        _night(roster, layer, staff[2:], "Ca đêm")
    return roster


STANDING = "Lịch trực thường xuyên"
STANDING_UNITS = ("tamdiep", "p-bacson")


def _standing(unit: Unit, staff: list[Person], today: dt.date, until: dt.date) -> Roster:
    """Everyday duty from last month until the Tết roster takes over, so that "on duty now"
    and the escalation find someone outside Tết too."""
    roster = Roster.objects.filter(unit=unit, name=STANDING).first()
    if roster is not None:
        return roster
    roster = Roster.objects.create(
        unit=unit, name=STANDING, starts_on=today - dt.timedelta(days=30),
        ends_on=until,
        note="Trực giám sát hằng ngày: ca ngày và ca đêm, mỗi ca một người.",
    )  # fmt: skip
    layer = Layer.objects.create(roster=roster, name="Ca thường xuyên", level=1)
    day = Shift.objects.create(
        roster=roster, layer=layer, name="Ca ngày", repeat=Shift.Repeat.DAILY,
        start_time=dt.time(7), end_time=dt.time(19),
    )  # fmt: skip
    day.people.set(staff[:1])
    _night(roster, layer, staff[2:3], "Ca đêm")
    return roster


def _log(unit: Unit, staff: list[Person]) -> None:
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    for hours, checked, seen, done in LOG:
        if not LogEntry.objects.filter(unit=unit, checked=checked).exists():
            LogEntry.objects.create(
                unit=unit, at=now + dt.timedelta(hours=hours), checked=checked, seen=seen,
                done=done, person=staff[0],
            )  # fmt: skip
    note = (
        "Bàn giao: máy trạm một cửa đã cách ly, chờ kết quả quét lại; "
        "các hệ thống khác bình thường."
    )
    if not Handover.objects.filter(unit=unit, note=note).exists():
        Handover.objects.create(
            unit=unit, at=now - dt.timedelta(hours=12), from_person=staff[0],
            to_person=staff[1], note=note,
        )  # fmt: skip


def load() -> int:
    """Create what is missing of the demo rosters and log; return the number of rosters."""
    year = periods.coming_tet_year(timezone.localdate())
    count = 0
    with audit.acting_as(None, via="cli", label="demo"), transaction.atomic():
        for code in UNITS:
            unit = Unit.objects.filter(code=code).first()
            if unit is None:
                continue  # the core demo was not loaded
            staff = [_person(unit, name, phone) for name, phone in STAFF[code]]
            _roster(unit, year, staff)
            if code in STANDING_UNITS:
                tet_first, _ = periods.tet_period(year, 3, 5)
                _standing(unit, staff, timezone.localdate(), tet_first - dt.timedelta(days=1))
            count += 1
            if code == "p-bacson":
                _log(unit, staff)
    return count


# Tết rosters for the city and four wards (one with a gap), a duty log and a handover.
demo.register("duty", load, order=40)
