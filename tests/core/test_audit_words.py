"""The audit log names object types, fields, units and people, and shows local time."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse

from citysoc.alerts.models import Incident
from citysoc.core import audit


def table_of(response) -> str:
    """The entries table of the page (the filter form's option values are codes, rightly)."""
    page = response.content.decode()
    return page[page.index('<table class="data">') : page.index("</table>")]


def test_an_incident_entry_reads_as_words_not_codes(client_as, city_admin, officer_a, unit_a):
    # 01:02 UTC is 08:02 in Hanoi
    moment = dt.datetime(2026, 12, 6, 1, 2, 3, tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=False), audit.acting_as(officer_a, via="web"):
        Incident.objects.create(unit=unit_a, title="Lộ mật khẩu", severity="high")

    page = table_of(client_as(city_admin).get(reverse("core:audit-list")))

    assert "alerts.incident" not in page
    assert "Sự cố: Lộ mật khẩu" in page
    assert f"Đơn vị:</span> {unit_a.name}" in page  # the unit's name, not "unit: 10"
    assert f"unit: {unit_a.pk}" not in page
    assert "Người tạo:</span> —" in page  # not "created_by: None"
    assert "created_by" not in page and "None" not in page
    assert "Mức độ:</span> Cao" in page  # a choice by its label
    assert "06/12/2026 08:02:03" in page  # the time of the entry, in local time
    assert "Officer_A" in page  # the person, named as a member of the unit
    assert '<span class="badge">web</span>' in page


def test_a_time_in_the_changes_is_local_and_readable(client_as, city_admin, unit_a):
    from citysoc.alerts.models import MaintenanceWindow

    starts = dt.datetime(2026, 12, 6, 17, 30, tzinfo=dt.UTC)  # 00:30 on the 7th in Hanoi
    with audit.acting_as(None, via="cli", label="admin"):
        MaintenanceWindow.objects.create(
            unit=unit_a, starts_at=starts, ends_at=starts + dt.timedelta(hours=2), reason="Nâng cấp"
        )
    page = table_of(client_as(city_admin).get(reverse("core:audit-list")))
    assert "07/12/2026 00:30:00" in page
    assert "2026-12-06T17:30" not in page
    assert "dòng lệnh" in page


def test_the_type_filter_offers_names_not_codes(client_as, city_admin, unit_a):
    with audit.acting_as(None, via="cli", label="admin"):
        Incident.objects.create(unit=unit_a, title="X", severity="low")
    page = client_as(city_admin).get(reverse("core:audit-list")).content.decode()
    assert '<option value="alerts.incident">Sự cố</option>' in page
