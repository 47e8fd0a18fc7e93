"""Every inventory object can be listed, created, read, updated and deleted by its unit."""

from __future__ import annotations

import pytest

from citysoc.inventory.models import Domain, Host, InformationSystem, IpRange
from tests.factories import make_system


@pytest.fixture
def officer(api_as, officer_a):
    return api_as(officer_a)


def _crud(client, resource: str, create: dict, change: dict) -> dict:
    """Walk one resource through its whole life and return what was created."""
    created = client.post(f"/api/{resource}/", create, format="json")
    assert created.status_code == 201, created.json()
    url = f"/api/{resource}/{created.json()['id']}/"
    assert created.json()["unit"] == create["unit"]

    listed = client.get(f"/api/{resource}/")
    assert created.json()["id"] in [row["id"] for row in listed.json()["results"]]
    assert client.get(url).json() == created.json()

    changed = client.patch(url, change, format="json")
    assert changed.status_code == 200, changed.json()
    for key, value in change.items():
        assert changed.json()[key] == value

    assert client.delete(url).status_code == 204
    assert client.get(url).status_code == 404
    return created.json()


def test_a_unit_admin_can_create_read_update_and_delete_a_system(officer, unit_a):
    _crud(
        officer,
        "systems",
        {"unit": "ward-a", "name": "Cổng thông tin", "system_type": "citizen", "security_level": 2},
        {"security_level": 3, "info_classes": ["public", "personal"]},
    )
    assert not InformationSystem.objects.exists()


def test_a_unit_admin_can_create_read_update_and_delete_a_host(officer, unit_a):
    system = make_system(unit_a, name="Mail")
    created = _crud(
        officer,
        "hosts",
        {"unit": "ward-a", "hostname": "srv-01", "kind": "server", "ipv4": "10.1.0.5"},
        {"os": "Debian 12", "systems": [system.pk]},
    )
    assert created["systems"] == []
    assert not Host.objects.exists()


def test_a_unit_admin_can_create_read_update_and_delete_a_range(officer, unit_a):
    created = _crud(
        officer,
        "ranges",
        {"unit": "ward-a", "text": "10.1.0.0/24", "scope": "internal"},
        {"text": "10.1.0.0/23", "nat_egress": True},
    )
    assert created["version"] == 4
    assert (created["first"], created["last"], created["size"]) == ("10.1.0.0", "10.1.0.255", "256")
    assert not IpRange.objects.exists()


def test_a_unit_admin_can_create_read_update_and_delete_a_domain(officer, unit_a):
    _crud(
        officer,
        "domains",
        {"unit": "ward-a", "name": "bacson.tamdiep.gov.vn"},
        {"url": "https://bacson.tamdiep.gov.vn/"},
    )
    assert not Domain.objects.exists()


def test_a_changed_range_text_moves_its_first_and_last_address(officer, unit_a):
    created = officer.post("/api/ranges/", {"unit": "ward-a", "text": "10.1.0.0/24"}, format="json")
    changed = officer.patch(
        f"/api/ranges/{created.json()['id']}/", {"text": "10.1.0.0-10.1.1.255"}, format="json"
    )
    assert changed.json()["text"] == "10.1.0.0/23"
    assert changed.json()["last"] == "10.1.1.255"
    assert IpRange.objects.get().last_key == f"{0x0A0101FF:032x}"


def test_an_ipv6_range_shows_its_size_as_text(officer, unit_a):
    created = officer.post(
        "/api/ranges/", {"unit": "ward-a", "text": "2001:db8::/32"}, format="json"
    )
    assert created.json()["version"] == 6
    assert created.json()["last"] == "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"
    assert created.json()["size"] == str(2**96)


def test_it_rejects_a_range_with_host_bits_set_and_names_the_field(officer, unit_a):
    response = officer.post(
        "/api/ranges/", {"unit": "ward-a", "text": "10.1.0.5/24"}, format="json"
    )
    assert response.status_code == 400
    assert "10.1.0.0/24" in response.json()["text"][0]
    assert not IpRange.objects.exists()


def test_it_rejects_text_that_is_no_range(officer, unit_a):
    response = officer.post(
        "/api/ranges/", {"unit": "ward-a", "text": "ten dot one"}, format="json"
    )
    assert response.status_code == 400
    assert "ten dot one" in response.json()["text"][0]


def test_it_stores_a_domain_normalised(officer, unit_a):
    response = officer.post(
        "/api/domains/", {"unit": "ward-a", "name": "BacSon.TamDiep.gov.VN."}, format="json"
    )
    assert response.json()["name"] == "bacson.tamdiep.gov.vn"


def test_it_rejects_a_bad_domain_name_and_names_the_field(officer, unit_a):
    response = officer.post(
        "/api/domains/", {"unit": "ward-a", "name": "not a domain"}, format="json"
    )
    assert response.status_code == 400
    assert "not a domain" in response.json()["name"][0]


def test_it_rejects_a_duplicate_domain_written_differently(officer, unit_a):
    officer.post("/api/domains/", {"unit": "ward-a", "name": "a.gov.vn"}, format="json")
    response = officer.post("/api/domains/", {"unit": "ward-a", "name": "A.gov.vn."}, format="json")
    assert response.status_code == 400
    assert Domain.objects.count() == 1


def test_it_refuses_a_host_serving_a_system_of_another_unit(officer, unit_a, sub_unit_a):
    school_system = make_system(sub_unit_a, name="School portal")
    response = officer.post(
        "/api/hosts/",
        {"unit": "ward-a", "hostname": "srv-02", "systems": [school_system.pk]},
        format="json",
    )
    assert response.status_code == 400
    assert "school-a1" in response.json()["systems"][0]
    assert not Host.objects.exists()


def test_it_refuses_an_approved_level_without_a_decision(officer, unit_a, settings):
    settings.LANGUAGE_CODE = "en"  # the assertions read the English message
    response = officer.post(
        "/api/systems/",
        {
            "unit": "ward-a",
            "name": "Một cửa",
            "system_type": "citizen",
            "security_level": 2,
            "dossier_status": "approved",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "decision" in str(response.json()["non_field_errors"])


def test_it_refuses_a_level_outside_one_to_five(officer, unit_a):
    response = officer.post(
        "/api/systems/",
        {"unit": "ward-a", "name": "X", "system_type": "other", "security_level": 6},
        format="json",
    )
    assert response.status_code == 400
    assert "security_level" in response.json()


def test_an_operator_can_register_a_host(api_as, operator_a, unit_a):
    response = api_as(operator_a).post(
        "/api/hosts/", {"unit": "ward-a", "hostname": "pc-01"}, format="json"
    )
    assert response.status_code == 201


def test_a_unit_admin_can_write_into_a_sub_unit(officer, sub_unit_a):
    response = officer.post(
        "/api/hosts/", {"unit": "school-a1", "hostname": "pc-lab-1"}, format="json"
    )
    assert response.status_code == 201
    assert Host.objects.get().unit == sub_unit_a


def test_a_duplicate_range_written_differently_is_refused_under_its_field(officer, unit_a):
    officer.post("/api/ranges/", {"unit": "ward-a", "text": "10.0.0.0/24"}, format="json")
    response = officer.post(
        "/api/ranges/", {"unit": "ward-a", "text": "10.0.0.0-10.0.0.255"}, format="json"
    )
    assert response.status_code == 400
    assert "ward-a" in response.json()["text"][0]
    assert IpRange.objects.count() == 1


def test_a_duplicate_hostname_is_refused_but_a_rename_to_a_free_name_works(officer, unit_a):
    first = officer.post("/api/hosts/", {"unit": "ward-a", "hostname": "pc"}, format="json")
    second = officer.post("/api/hosts/", {"unit": "ward-a", "hostname": "pc"}, format="json")
    assert second.status_code == 400
    assert "'pc'" in second.json()["hostname"][0]
    url = f"/api/hosts/{first.json()['id']}/"
    assert officer.patch(url, {"hostname": "pc", "os": "Ubuntu"}, format="json").status_code == 200
