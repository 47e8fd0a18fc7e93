"""A unit's people never see or change another unit's rows through the API."""

from __future__ import annotations

import pytest

from citysoc.core.models import Person
from citysoc.inventory.models import Domain, Host, InformationSystem, IpRange
from tests.factories import make_domain, make_host, make_range, make_system

# resource -> (make a row of unit, body that creates a row of the unit with this code)
RESOURCES = {
    "systems": (
        lambda unit: make_system(unit, name="B portal"),
        lambda code: {"unit": code, "name": "New", "system_type": "internal"},
    ),
    "hosts": (
        lambda unit: make_host(unit, hostname="b-srv", ipv4="10.2.0.1"),
        lambda code: {"unit": code, "hostname": "new-host"},
    ),
    "ranges": (
        lambda unit: make_range(unit, "10.2.0.0/24"),
        lambda code: {"unit": code, "text": "10.9.0.0/24"},
    ),
    "domains": (
        lambda unit: make_domain(unit, "namson.gov.vn"),
        lambda code: {"unit": code, "name": "new.gov.vn"},
    ),
    "people": (
        lambda unit: Person.objects.create(unit=unit, full_name="Trần B", role="contact"),
        lambda code: {"unit": code, "full_name": "Nguyễn Mới", "role": "contact"},
    ),
}
MODELS = {
    "systems": InformationSystem,
    "hosts": Host,
    "ranges": IpRange,
    "domains": Domain,
    "people": Person,
}


@pytest.mark.parametrize("resource", RESOURCES)
def test_officer_a_cannot_list_read_change_or_delete_unit_b_rows(
    resource, api_as, officer_a, unit_b
):
    make, _body = RESOURCES[resource]
    row = make(unit_b)
    client = api_as(officer_a)
    url = f"/api/{resource}/{row.pk}/"

    listed = client.get(f"/api/{resource}/", {"page_size": 500})
    assert row.pk not in [r["id"] for r in listed.json()["results"]]
    assert all(r["unit"] != "ward-b" for r in listed.json()["results"])
    assert client.get(url).status_code == 404
    assert client.patch(url, {"note": "x", "title": "x"}, format="json").status_code == 404
    assert client.put(url, {}, format="json").status_code == 404
    assert client.delete(url).status_code == 404
    assert MODELS[resource].objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("resource", RESOURCES)
def test_officer_a_cannot_create_into_unit_b(resource, api_as, officer_a, unit_b):
    _make, body = RESOURCES[resource]
    before = MODELS[resource].objects.count()
    response = api_as(officer_a).post(f"/api/{resource}/", body("ward-b"), format="json")
    assert response.status_code == 403
    assert "ward-b" in response.json()["detail"]
    assert MODELS[resource].objects.count() == before


@pytest.mark.parametrize("resource", RESOURCES)
def test_officer_a_cannot_move_a_row_into_unit_b(resource, api_as, officer_a, unit_a, unit_b):
    make, _body = RESOURCES[resource]
    row = make(unit_a)
    response = api_as(officer_a).patch(
        f"/api/{resource}/{row.pk}/", {"unit": "ward-b"}, format="json"
    )
    assert response.status_code == 403
    row.refresh_from_db()
    assert row.unit == unit_a


@pytest.mark.parametrize("resource", RESOURCES)
def test_a_viewer_can_read_but_not_write(resource, api_as, viewer_a, unit_a):
    make, body = RESOURCES[resource]
    row = make(unit_a)
    client = api_as(viewer_a)
    url = f"/api/{resource}/{row.pk}/"
    assert client.get(url).status_code == 200
    assert client.post(f"/api/{resource}/", body("ward-a"), format="json").status_code == 403
    assert client.patch(url, {"note": "x"}, format="json").status_code == 403
    assert client.delete(url).status_code == 403
    assert MODELS[resource].objects.filter(pk=row.pk).exists()


def test_an_operator_cannot_manage_people(api_as, operator_a, unit_a):
    response = api_as(operator_a).post(
        "/api/people/", {"unit": "ward-a", "full_name": "X", "role": "viewer"}, format="json"
    )
    assert response.status_code == 403


def test_a_city_viewer_sees_every_unit_but_changes_nothing(api_as, viewer, unit_a, unit_b):
    make_host(unit_a, hostname="a-pc")
    host_b = make_host(unit_b, hostname="b-pc")
    client = api_as(viewer)
    names = {r["hostname"] for r in client.get("/api/hosts/").json()["results"]}
    assert names == {"a-pc", "b-pc"}
    assert client.delete(f"/api/hosts/{host_b.pk}/").status_code == 403


def test_a_host_cannot_serve_a_system_the_user_cannot_see(api_as, officer_a, unit_a, unit_b):
    foreign = make_system(unit_b, name="B secret")
    response = api_as(officer_a).post(
        "/api/hosts/", {"unit": "ward-a", "hostname": "h", "systems": [foreign.pk]}, format="json"
    )
    assert response.status_code == 400
    assert "B secret" not in str(response.json())


def test_anonymous_requests_are_refused(client, unit_a):
    make_host(unit_a)
    for resource in ("units", "systems", "hosts", "ranges", "domains", "people", "audit"):
        assert client.get(f"/api/{resource}/").status_code == 401


def test_a_name_taken_in_unit_b_is_answered_403_not_400(api_as, officer_a, unit_b):
    make_host(unit_b, hostname="secret-srv")
    response = api_as(officer_a).post(
        "/api/hosts/", {"unit": "ward-b", "hostname": "secret-srv"}, format="json"
    )
    assert response.status_code == 403
    assert "secret-srv" not in str(response.json())


def test_the_browsable_api_offers_only_the_units_the_user_can_see(
    api_as, officer_a, city_admin, unit_b
):
    page = api_as(officer_a).get("/api/hosts/", HTTP_ACCEPT="text/html").content.decode()
    assert 'value="ward-a"' in page
    assert 'value="ward-b"' not in page
    assert "Nam Sơn" not in page
    city_page = api_as(city_admin).get("/api/hosts/", HTTP_ACCEPT="text/html").content.decode()
    assert 'value="ward-b"' in city_page
