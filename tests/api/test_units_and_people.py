"""Units and people through the API: who may create, change and remove them."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from citysoc.core.models import Person, Unit
from tests.factories import make_system


def test_a_unit_admin_can_edit_their_unit_and_create_a_sub_unit(api_as, officer_a, unit_a):
    client = api_as(officer_a)
    changed = client.patch(
        f"/api/units/{unit_a.pk}/", {"incident_contact_phone": "0912 345 678"}, format="json"
    )
    assert changed.status_code == 200
    created = client.post(
        "/api/units/",
        {"code": "school-a2", "name": "Trường Tiểu học A2", "kind": "school", "parent": "ward-a"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["unit"] == "school-a2"
    assert Unit.objects.get(code="school-a2").path.startswith(unit_a.path)


def test_a_unit_admin_cannot_create_a_top_level_unit(api_as, officer_a, settings):
    settings.LANGUAGE_CODE = "en"  # the assertions read the English message
    response = api_as(officer_a).post(
        "/api/units/", {"code": "rogue", "name": "Rogue", "kind": "other"}, format="json"
    )
    assert response.status_code == 403
    assert "top level" in response.json()["detail"]
    assert not Unit.objects.filter(code="rogue").exists()


def test_a_city_admin_can_create_a_top_level_unit(api_as, city_admin):
    response = api_as(city_admin).post(
        "/api/units/", {"code": "province-2", "name": "Tỉnh khác", "kind": "city"}, format="json"
    )
    assert response.status_code == 201
    assert Unit.objects.get(code="province-2").parent is None


def test_a_unit_admin_cannot_move_their_unit_under_another_ward(api_as, officer_a, unit_a, unit_b):
    response = api_as(officer_a).patch(
        f"/api/units/{unit_a.pk}/", {"parent": "ward-b"}, format="json"
    )
    assert response.status_code == 403
    unit_a.refresh_from_db()
    assert unit_a.parent.code == "city"


def test_a_unit_admin_cannot_delete_their_own_unit_but_can_delete_a_sub_unit(
    api_as, officer_a, unit_a, sub_unit_a
):
    client = api_as(officer_a)
    assert client.delete(f"/api/units/{unit_a.pk}/").status_code == 403
    assert client.delete(f"/api/units/{sub_unit_a.pk}/").status_code == 204
    assert not Unit.objects.filter(code="school-a1").exists()


def test_deleting_a_unit_that_still_has_systems_is_refused_with_the_reason(
    api_as, city_admin, sub_unit_a, settings
):
    settings.LANGUAGE_CODE = "en"  # the assertions read the English message
    make_system(sub_unit_a)
    response = api_as(city_admin).delete(f"/api/units/{sub_unit_a.pk}/")
    assert response.status_code == 409
    assert "information systems" in response.json()["detail"]
    assert Unit.objects.filter(pk=sub_unit_a.pk).exists()


def test_a_unit_cannot_be_placed_under_its_own_sub_unit(api_as, city_admin, unit_a, sub_unit_a):
    response = api_as(city_admin).patch(
        f"/api/units/{unit_a.pk}/", {"parent": "school-a1"}, format="json"
    )
    assert response.status_code == 400
    assert "parent" in response.json()


def test_officer_a_cannot_see_or_change_unit_b(api_as, officer_a, unit_b):
    client = api_as(officer_a)
    codes = {u["code"] for u in client.get("/api/units/").json()["results"]}
    assert codes == {"ward-a"}
    assert client.get(f"/api/units/{unit_b.pk}/").status_code == 404
    assert client.patch(f"/api/units/{unit_b.pk}/", {"name": "x"}, format="json").status_code == 404
    response = client.post(
        "/api/units/",
        {"code": "b-child", "name": "x", "kind": "school", "parent": "ward-b"},
        format="json",
    )
    assert response.status_code == 403


def test_people_are_shown_without_any_secret(api_as, officer_a, unit_a):
    rows = api_as(officer_a).get("/api/people/").json()["results"]
    assert rows[0]["username"] == "officer_a"
    assert not {"password", "user", "key_hash"} & set(rows[0])


def test_a_unit_admin_can_add_a_person_with_a_login_and_a_role(api_as, officer_a, unit_a):
    response = api_as(officer_a).post(
        "/api/people/",
        {
            "unit": "ward-a",
            "full_name": "Lê Văn Cường",
            "email": "cuong@bacson.gov.vn",
            "role": "operator",
            "username": "cuong",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    person = Person.objects.get(full_name="Lê Văn Cường")
    assert person.role == "operator"
    assert person.user.username == "cuong"
    # No password travels through the API: the new account logs in after a reset.
    assert not person.user.has_usable_password()


def test_it_refuses_a_login_name_that_is_taken(api_as, officer_a, unit_a):
    response = api_as(officer_a).post(
        "/api/people/",
        {"unit": "ward-a", "full_name": "X", "role": "viewer", "username": "officer_a"},
        format="json",
    )
    assert response.status_code == 400
    assert "officer_a" in response.json()["username"][0]
    assert get_user_model().objects.filter(username="officer_a").count() == 1


def test_a_unit_admin_cannot_grant_city_admin(api_as, officer_a, viewer_a, unit_a):
    client = api_as(officer_a)
    created = client.post(
        "/api/people/", {"unit": "ward-a", "full_name": "X", "role": "city_admin"}, format="json"
    )
    assert created.status_code == 403
    assert "city_admin" in created.json()["detail"]
    promoted = client.patch(
        f"/api/people/{viewer_a.memberships.get().pk}/", {"role": "city_admin"}, format="json"
    )
    assert promoted.status_code == 403
    assert viewer_a.memberships.get().role == "viewer"


def test_a_unit_admin_can_change_a_role_in_their_unit(api_as, officer_a, viewer_a):
    person = viewer_a.memberships.get()
    response = api_as(officer_a).patch(
        f"/api/people/{person.pk}/", {"role": "operator"}, format="json"
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.role == "operator"


def test_a_city_admin_can_grant_city_admin(api_as, city_admin, unit_a):
    response = api_as(city_admin).post(
        "/api/people/", {"unit": "city", "full_name": "Deputy", "role": "city_admin"}, format="json"
    )
    assert response.status_code == 201
