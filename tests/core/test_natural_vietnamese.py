"""Vietnamese that reads naturally: no placeholder dashes, no half-translated phrases."""

from __future__ import annotations

import pytest
from django.urls import reverse

LIST_PAGES = [
    "webwatch:city",
    "notify:outbox",
    "compliance:home",
    "compliance:gap-list",
    "directives:assignment-list",
    "intel:task-list",
    "intel:sighting-list",
    "inventory:host-list",
    "inventory:domain-list",
    "inventory:system-list",
    "inventory:range-list",
    "alerts:home",
    "core:unit-list",
    "core:audit-list",
    "core:person-list",
]


@pytest.mark.parametrize("name", LIST_PAGES)
def test_a_list_filter_never_offers_a_row_of_dashes(client_as, city_admin, unit_a, name):
    page = client_as(city_admin).get(reverse(name))
    assert page.status_code == 200
    assert "---------" not in page.content.decode()


@pytest.mark.parametrize(
    "name", ["core:unit-create", "inventory:host-create", "alerts:policy-create"]
)
def test_a_form_select_says_choose_instead_of_dashes(client_as, city_admin, unit_a, name):
    page = client_as(city_admin).get(reverse(name)).content.decode()
    assert "---------" not in page
    assert '<option value="" selected>— chọn —</option>' in page


def _triggered_alert(unit):
    from citysoc.alerts import intake

    return intake.raise_alert(
        unit, kind="system", dedup_key="disk", severity="high", summary="Ổ đĩa đầy"
    )


def test_the_dashboard_counts_alerts_waiting_to_be_taken_on(client_as, officer_a, unit_a):
    _triggered_alert(unit_a)
    page = client_as(officer_a).get("/").content.decode()
    assert "1 cảnh báo đang chờ tiếp nhận" in page
    assert "xác nhận đã nhận" not in page


def test_an_acknowledgement_through_a_link_is_said_in_words(client_as, officer_a, unit_a):
    from citysoc.alerts import intake

    alert = _triggered_alert(unit_a)
    intake.acknowledge(alert, by="Trần Thị Lan (link)")
    client = client_as(officer_a)
    for url in (reverse("alerts:alert-detail", args=[alert.pk]), reverse("alerts:home")):
        page = client.get(url).content.decode()
        assert "Trần Thị Lan (qua liên kết trong thông báo)" in page, url
        assert "(link)" not in page, url


def test_a_directive_heading_names_its_number_and_subject(client_as, city_admin, city):
    from tests import factories

    draft = factories.make_directive(city, subject="V/v rà soát mã độc botnet")
    page = client_as(city_admin).get(reverse("directives:directive-detail", args=[draft.pk]))
    heading = page.content.decode().split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert heading.startswith("Công văn (chưa có số): V/v rà soát mã độc botnet")
    draft.number, draft.symbol = "42", "UBND-VHTT"
    draft.save()
    page = client_as(city_admin).get(reverse("directives:directive-detail", args=[draft.pk]))
    assert "<h1>Công văn số 42/UBND-VHTT: V/v rà soát mã độc botnet" in page.content.decode()


def test_botnet_list_pages_use_plain_words(client_as, city_admin):
    from tests.intel.support import import_text

    version, _ = import_text("192.0.2.10\n", name="thang-1.txt")
    client = client_as(city_admin)
    for url in (reverse("intel:home"), reverse("intel:version-detail", args=[version.pk])):
        page = client.get(url).content.decode()
        assert "hỉ dấu" not in page, url  # "Chỉ dấu" / "chỉ dấu", a calque of "indicator"
        assert "ví dụ 2024-01" not in page, url
    assert "ví dụ: tháng 01/2024" in client.get(reverse("intel:home")).content.decode()
