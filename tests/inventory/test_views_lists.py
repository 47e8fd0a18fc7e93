import pytest
from django.urls import reverse

from citysoc.inventory.models import Host, InformationSystem, IpRange
from tests.factories import make_range, make_system


def _names(response) -> list[str]:
    return [str(row) for row in response.context["table"].rows]


@pytest.fixture
def many_hosts(unit_a, unit_b):
    systems = [make_system(unit_a, name=f"sys-{i}") for i in range(3)]
    hosts = Host.objects.bulk_create(
        Host(
            unit=unit_a if i % 2 else unit_b,
            hostname=f"pc-{i:03d}",
            ipv4=f"10.0.{i // 100}.{i % 100}",
        )
        for i in range(200)
    )
    for host in hosts[1::2][:40]:
        host.systems.set(systems)
    return hosts


@pytest.mark.parametrize("kind", ["system", "host", "range", "domain"])
def test_a_list_page_costs_the_same_number_of_queries_for_200_rows(
    client_as, city_admin, officer_a, unit_a, many_hosts, django_assert_max_num_queries, kind
):
    InformationSystem.objects.bulk_create(
        InformationSystem(unit=unit_a, name=f"bulk-{i}", system_type="internal") for i in range(200)
    )
    for i in range(60):
        make_range(unit_a, f"10.{100 + i}.0.0/16")
    for user in (city_admin, officer_a):
        client = client_as(user)
        client.get(reverse(f"inventory:{kind}-list"))  # warm the session
        with django_assert_max_num_queries(12):
            response = client.get(reverse(f"inventory:{kind}-list") + "?sort=-unit&page=2")
        assert response.status_code == 200


def test_the_host_list_paginates_by_50_and_filters_by_ip(client_as, city_admin, many_hosts):
    client = client_as(city_admin)
    page = client.get(reverse("inventory:host-list"))
    assert len(page.context["table"].rows) == 50
    assert page.context["table"].total == 200
    assert _names(client.get(reverse("inventory:host-list") + "?ip=10.0.0.7")) == ["pc-007"]
    # A fragment that is not a whole address matches the addresses it starts.
    partial = client.get(reverse("inventory:host-list") + "?ip=10.0.1.&sort=hostname")
    assert partial.context["table"].total == 100
    assert _names(partial)[0] == "pc-100"


def test_the_host_list_sorts_only_by_whitelisted_keys(client_as, city_admin, many_hosts):
    client = client_as(city_admin)
    desc = client.get(reverse("inventory:host-list") + "?sort=-hostname")
    assert _names(desc)[0] == "pc-199"
    # An unknown key (or an attempt to sort on a hidden field) falls back to the default.
    odd = client.get(reverse("inventory:host-list") + "?sort=owner__user__password")
    assert odd.status_code == 200
    assert odd.context["table"].sort == ""


def test_the_reminder_link_lists_the_systems_without_an_approved_level(
    client_as, officer_a, unit_a
):
    make_system(
        unit_a,
        name="approved",
        level=3,
        dossier_status="approved",
        decision_number="1/QĐ",
        decision_date="2025-01-02",
    )
    make_system(unit_a, name="submitted", level=3, dossier_status="submitted")
    make_system(unit_a, name="no level", level=None)
    client = client_as(officer_a)
    assert sorted(_names(client.get("/inventory/systems/?approved=no"))) == [
        "no level",
        "submitted",
    ]
    assert _names(client.get("/inventory/systems/?approved=yes")) == ["approved"]
    assert _names(client.get("/inventory/systems/?level=none")) == ["no level"]
    assert _names(client.get("/inventory/systems/?dossier=submitted")) == ["submitted"]
    assert _names(client.get("/inventory/systems/?q=appro")) == ["approved"]


def test_filtering_by_a_unit_includes_its_sub_units(client_as, officer_a, unit_a, sub_unit_a):
    make_system(unit_a, name="ward system")
    make_system(sub_unit_a, name="school system")
    client = client_as(officer_a)
    assert len(_names(client.get(f"/inventory/systems/?unit={unit_a.pk}"))) == 2
    assert _names(client.get(f"/inventory/systems/?unit={sub_unit_a.pk}")) == ["school system"]


def test_a_ward_cannot_filter_by_another_units_id(client_as, officer_a, unit_b):
    make_system(unit_b, name="B only")
    response = client_as(officer_a).get(f"/inventory/systems/?unit={unit_b.pk}")
    assert _names(response) == []


def test_city_roles_see_an_overlap_badge_and_wards_do_not(
    client_as, city_admin, officer_a, unit_a, unit_b
):
    make_range(unit_a, "10.1.0.0/24")
    make_range(unit_b, "10.1.0.128/25")
    make_range(unit_a, "10.9.0.0/24")
    page = client_as(city_admin).get(reverse("inventory:range-list")).content.decode()
    assert page.count("data-overlap>") == 2
    ward_page = client_as(officer_a).get(reverse("inventory:range-list")).content.decode()
    assert "data-overlap>" not in ward_page
    assert IpRange.objects.count() == 3
