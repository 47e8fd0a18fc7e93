import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from citysoc.duty import oncall, swaps
from citysoc.duty.models import Override, SwapRequest
from tests import factories
from tests.duty.conftest import TET_2025

# The messages asserted here are the English source strings (the UI default is Vietnamese).
pytestmark = pytest.mark.usefixtures("english")

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def night_swap(tet_roster, duty_people):
    """Lâm (no login) asks Mai (operator_a) to take the night of Tết."""
    night = tet_roster.shifts.get(name="Ca đêm")
    return swaps.request_swap(night, TET_2025, duty_people["lam"], duty_people["mai"])


def test_the_request_covers_exactly_one_occurrence(night_swap):
    assert night_swap.starts_at == dt.datetime(2025, 1, 29, 19, tzinfo=VN)
    assert night_swap.ends_at == dt.datetime(2025, 1, 30, 7, tzinfo=VN)


def test_the_person_asked_accepts_and_an_override_is_recorded(
    night_swap, operator_a, unit_a, duty_people
):
    override = swaps.accept(night_swap, operator_a)
    night_swap.refresh_from_db()
    assert night_swap.status == SwapRequest.Status.ACCEPTED
    assert night_swap.override == override
    assert (override.person, override.replaces) == (duty_people["mai"], duty_people["lam"])
    during = dt.datetime(2025, 1, 29, 23, tzinfo=VN)
    assert [p.full_name for p in oncall.on_duty(unit_a, during)] == ["Operator_A"]
    # The next night is Lâm's again.
    assert [p.full_name for p in oncall.on_duty(unit_a, during + dt.timedelta(days=1))] == [
        "Đỗ Văn Lâm"
    ]


def test_a_third_person_cannot_accept(night_swap, unit_a, viewer_a, unit_b, officer_b):
    for user in (viewer_a, officer_b):
        with pytest.raises(PermissionDenied):
            swaps.accept(night_swap, user)
    assert not Override.objects.exists()
    assert SwapRequest.objects.get().status == SwapRequest.Status.PENDING


def test_an_editor_of_the_unit_may_answer_for_someone_without_login(
    tet_roster, duty_people, officer_a
):
    day = tet_roster.shifts.get(name="Ca ngày")
    swap = swaps.request_swap(day, TET_2025, duty_people["mai"], duty_people["huong"])
    swaps.accept(swap, officer_a)
    assert Override.objects.get().person == duty_people["huong"]


def test_an_answered_request_cannot_be_answered_again(night_swap, operator_a):
    swaps.decline(night_swap, operator_a)
    with pytest.raises(ValidationError, match="already answered"):
        swaps.accept(night_swap, operator_a)
    assert not Override.objects.exists()


def test_only_people_on_the_shift_can_ask(tet_roster, duty_people):
    night = tet_roster.shifts.get(name="Ca đêm")
    with pytest.raises(ValidationError, match="not on the shift"):
        swaps.request_swap(night, TET_2025, duty_people["mai"], duty_people["huong"])


def test_a_day_outside_the_period_is_refused(tet_roster, duty_people):
    night = tet_roster.shifts.get(name="Ca đêm")
    with pytest.raises(ValidationError, match="does not run"):
        swaps.request_swap(night, dt.date(2025, 3, 1), duty_people["lam"], duty_people["mai"])


def test_accepting_through_the_page(client, night_swap, operator_a, viewer_a):
    client.force_login(viewer_a)
    url = f"/duty/swaps/{night_swap.pk}/"
    assert "Accept" not in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert client.post(url, {"action": "accept"}).status_code == 403
    client.force_login(operator_a)
    response = client.post(url, {"action": "accept"})
    assert response.status_code == 302
    assert SwapRequest.objects.get().status == SwapRequest.Status.ACCEPTED


def test_another_wards_user_gets_404(client, night_swap, unit_b):
    other = factories.make_user("officer_b2", unit=unit_b, role="unit_admin")
    client.force_login(other)
    assert client.post(f"/duty/swaps/{night_swap.pk}/", {"action": "accept"}).status_code == 404
