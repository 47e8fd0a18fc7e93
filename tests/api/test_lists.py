"""Lists: pagination, filters, search, ordering, and a query count that does not grow."""

from __future__ import annotations

import pytest

from citysoc.core.models import Person
from citysoc.inventory.models import Domain, Host, InformationSystem
from tests.factories import make_host, make_range, make_system, make_unit


def _fill(unit, n: int) -> None:
    """n of every inventory object in `unit`, hosts serving two systems each."""
    systems = InformationSystem.objects.bulk_create(
        InformationSystem(unit=unit, name=f"S{i}", system_type="internal", security_level=1 + i % 4)
        for i in range(n)
    )
    hosts = Host.objects.bulk_create(
        Host(unit=unit, hostname=f"h{i:03}", ipv4=f"10.8.{i // 250}.{i % 250 + 1}")
        for i in range(n)
    )
    through = Host.systems.through
    through.objects.bulk_create(
        through(host_id=h.pk, informationsystem_id=s.pk)
        for i, h in enumerate(hosts)
        for s in (systems[i], systems[(i + 1) % n])
    )
    for i in range(n):
        make_range(unit, f"10.{100 + i // 250}.{i % 250}.0/24")
    Domain.objects.bulk_create(
        Domain(unit=unit, name=f"d{i}.gov.vn", system=systems[i]) for i in range(n)
    )
    Person.objects.bulk_create(
        Person(unit=unit, full_name=f"P{i}", role="contact") for i in range(n)
    )


@pytest.mark.parametrize("resource", ["units", "systems", "hosts", "ranges", "domains", "people"])
def test_a_list_takes_the_same_few_queries_for_a_page_of_many_rows(
    resource, api_as, officer_a, unit_a, django_assert_max_num_queries
):
    for i in range(5):
        make_unit(f"school-{i}", parent=unit_a, kind="school")
    _fill(unit_a, 120)
    client = api_as(officer_a)
    # session, user, scope, count, page, one prefetch, and the session's save (timeout).
    with django_assert_max_num_queries(10):
        response = client.get(f"/api/{resource}/", {"page_size": 100})
    assert response.status_code == 200
    assert len(response.json()["results"]) >= 6


def test_the_audit_list_takes_few_queries(
    api_as, city_admin, unit_a, django_assert_max_num_queries
):
    _fill(unit_a, 30)  # the ranges write audit entries one by one
    client = api_as(city_admin)
    with django_assert_max_num_queries(10):
        response = client.get("/api/audit/", {"page_size": 100})
    assert response.json()["count"] >= 30


def test_pages_have_a_size_and_a_maximum(api_as, officer_a, unit_a):
    _fill(unit_a, 30)
    client = api_as(officer_a)
    first = client.get("/api/hosts/", {"page_size": 10}).json()
    assert first["count"] == 30
    assert len(first["results"]) == 10
    assert "page=2" in first["next"]
    third = client.get("/api/hosts/", {"page_size": 10, "page": 3}).json()
    assert third["next"] is None
    assert [h["hostname"] for h in third["results"]][0] == "h020"
    assert client.get("/api/hosts/", {"page": 99}).status_code == 404


def test_page_size_is_capped(api_as, officer_a, unit_a, monkeypatch):
    monkeypatch.setattr("citysoc.core.api.ApiPagination.max_page_size", 5)
    _fill(unit_a, 8)
    response = api_as(officer_a).get("/api/hosts/", {"page_size": 1000})
    assert len(response.json()["results"]) == 5


def test_systems_filter_by_level_dossier_and_unit(api_as, city_admin, unit_a, unit_b):
    make_system(unit_a, name="A2", level=2)
    make_system(unit_a, name="A3", level=3, dossier_status="submitted")
    make_system(unit_b, name="B3", level=3)
    client = api_as(city_admin)

    def names(**query) -> list[str]:
        return sorted(s["name"] for s in client.get("/api/systems/", query).json()["results"])

    assert names(level=3) == ["A3", "B3"]
    assert names(level=3, unit="ward-a") == ["A3"]
    assert names(dossier_status="submitted") == ["A3"]
    assert names(approved="false", unit="ward-b") == ["B3"]


def test_within_takes_a_unit_and_everything_under_it(
    api_as, city_admin, unit_a, sub_unit_a, unit_b
):
    make_host(unit_a, hostname="ward-pc")
    make_host(sub_unit_a, hostname="school-pc")
    make_host(unit_b, hostname="other-pc")
    client = api_as(city_admin)
    rows = client.get("/api/hosts/", {"within": "ward-a"}).json()["results"]
    assert sorted(h["hostname"] for h in rows) == ["school-pc", "ward-pc"]
    assert client.get("/api/hosts/", {"unit": "ward-a"}).json()["count"] == 1


def test_hosts_filter_by_ip_and_kind_and_search_by_name(api_as, officer_a, unit_a):
    make_host(unit_a, hostname="web-01", ipv4="10.1.0.10", kind="server")
    make_host(unit_a, hostname="pc-01", ipv4="10.1.0.11")
    make_host(unit_a, hostname="fw-01", ipv6="2001:db8::1", kind="network")
    client = api_as(officer_a)

    def names(**query) -> list[str]:
        return sorted(h["hostname"] for h in client.get("/api/hosts/", query).json()["results"])

    assert names(ip="10.1.0.11") == ["pc-01"]
    assert names(ip="2001:db8:0::1") == ["fw-01"]
    assert names(kind="server") == ["web-01"]
    assert names(search="web") == ["web-01"]
    ordered = client.get("/api/hosts/", {"ordering": "-hostname"}).json()["results"]
    assert [h["hostname"] for h in ordered] == ["web-01", "pc-01", "fw-01"]


def test_a_bad_ip_filter_is_a_clear_400(api_as, officer_a, unit_a):
    response = api_as(officer_a).get("/api/hosts/", {"ip": "10.1.0.999"})
    assert response.status_code == 400
    assert "10.1.0.999" in response.json()["ip"][0]


def test_ranges_filter_by_the_address_they_contain(api_as, city_admin, unit_a, unit_b):
    make_range(unit_a, "10.1.0.0/24")
    make_range(unit_b, "10.1.0.128/25")
    make_range(unit_b, "10.2.0.0/24")
    rows = api_as(city_admin).get("/api/ranges/", {"ip": "10.1.0.200"}).json()["results"]
    assert sorted((r["unit"], r["text"]) for r in rows) == [
        ("ward-a", "10.1.0.0/24"),
        ("ward-b", "10.1.0.128/25"),
    ]


def test_an_unknown_filter_value_is_a_400_naming_the_filter(api_as, officer_a, unit_a):
    response = api_as(officer_a).get("/api/systems/", {"dossier_status": "lost"})
    assert response.status_code == 400
    assert "dossier_status" in response.json()
