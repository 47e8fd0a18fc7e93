import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine

from citysoc.duty import calendar_feed, swaps
from tests.duty.conftest import TET_2025

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def events(data: bytes) -> list[tuple[dt.datetime, dt.datetime]]:
    cal = icalendar.Calendar.from_ical(data)
    return sorted((e.decoded("dtstart"), e.decoded("dtend")) for e in cal.walk("VEVENT"))


@pytest.fixture
def before_tet():
    with time_machine.travel(dt.datetime(2025, 1, 20, 9, tzinfo=VN), tick=False):
        yield


def test_the_feed_has_exactly_the_persons_shifts(client, tet_roster, duty_people, before_tet):
    token = calendar_feed.token_for(duty_people["lam"])
    response = client.get(f"/duty/ical/{token}.ics")  # no login: a phone's calendar app
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    nights = events(response.content)
    first = dt.datetime(2025, 1, 27, 0, tzinfo=VN)
    # 7 nights of 27/01–02/02: the first from midnight (the period starts at 00:00), the
    # last until 24:00 of 02/02.
    assert nights[0] == (first, first + dt.timedelta(hours=7))
    assert nights[1] == (first + dt.timedelta(hours=19), first + dt.timedelta(hours=31))
    assert nights[-1][1] == dt.datetime(2025, 2, 3, 0, tzinfo=VN)
    assert len(nights) == 8
    summaries = {
        str(e["summary"]) for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    }
    assert summaries == {"Ca trực: Lịch trực Tết (Ca đêm)"}


def test_an_accepted_swap_moves_the_shift_to_the_other_calendar(
    tet_roster, duty_people, operator_a, before_tet
):
    night = tet_roster.shifts.get(name="Ca đêm")
    swaps.accept(
        swaps.request_swap(night, TET_2025, duty_people["lam"], duty_people["mai"]), operator_a
    )
    taken = (dt.datetime(2025, 1, 29, 19, tzinfo=VN), dt.datetime(2025, 1, 30, 7, tzinfo=VN))
    assert taken not in events(calendar_feed.feed(duty_people["lam"]))
    mai = events(calendar_feed.feed(duty_people["mai"]))
    # Her day of 29/01, the night she took and her day of 30/01 are one 36-hour stretch.
    assert (dt.datetime(2025, 1, 29, 7, tzinfo=VN), dt.datetime(2025, 1, 30, 19, tzinfo=VN)) in mai
    assert len(mai) == 6


def test_a_forged_or_renewed_token_is_refused(client, tet_roster, duty_people):
    token = calendar_feed.token_for(duty_people["lam"])
    assert client.get(f"/duty/ical/{token[:-2]}xx.ics").status_code == 404
    calendar_feed.renew(duty_people["lam"])
    assert client.get(f"/duty/ical/{token}.ics").status_code == 404
    assert (
        client.get(f"/duty/ical/{calendar_feed.token_for(duty_people['lam'])}.ics").status_code
        == 200
    )


def test_the_link_page_is_for_the_person_or_an_editor(client, duty_people, operator_a, viewer_a):
    url = f"/duty/people/{duty_people['mai'].pk}/calendar/"
    client.force_login(operator_a)
    assert "/duty/ical/" in client.get(url).content.decode()
    client.force_login(viewer_a)
    assert client.get(url).status_code == 403
