import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse

from citysoc.core.models import AuditEntry, Person, Unit
from tests.support.smtp import smtp_server

ROLES = ["city_admin", "viewer", "officer_a", "operator_a", "viewer_a", "isp_liaison"]
PAGES = [
    "core:dashboard",
    "core:unit-list",
    "core:person-list",
    "inventory:system-list",
    "inventory:host-list",
    "inventory:range-list",
    "inventory:domain-list",
    "inventory:lookup",
]


@pytest.mark.parametrize("role", ROLES)
def test_every_role_opens_every_main_page(request, client_as, role):
    client = client_as(request.getfixturevalue(role))
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 200, name


def test_pages_need_a_login(client):
    response = client.get(reverse("inventory:system-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_ward_officer_sees_their_units_only(client_as, officer_a, unit_a, sub_unit_a, unit_b):
    client = client_as(officer_a)
    page = client.get(reverse("core:unit-list")).content.decode()
    assert unit_a.name in page and sub_unit_a.name in page
    assert unit_b.name not in page
    assert client.get(reverse("core:unit-detail", args=[unit_b.pk])).status_code == 404
    assert client.get(reverse("core:unit-edit", args=[unit_b.pk])).status_code == 404


def test_the_unit_list_filters_by_kind_and_search(client_as, city_admin, unit_a, sub_unit_a, isp):
    client = client_as(city_admin)
    schools = client.get(reverse("core:unit-list") + "?kind=school").context["table"].rows
    assert list(schools) == [sub_unit_a]
    found = client.get(reverse("core:unit-list") + "?q=vnpt").context["table"].rows
    assert list(found) == [isp]


def test_a_unit_admin_adds_a_sub_unit_but_not_a_top_level_one(client_as, officer_a, unit_a):
    client = client_as(officer_a)
    data = {"code": "school-a2", "name": "Trường A2", "kind": "school"}
    top = client.post(reverse("core:unit-create"), data)
    assert top.status_code == 200
    assert "parent" in top.context["form"].errors
    response = client.post(reverse("core:unit-create"), {**data, "parent": unit_a.pk})
    unit = Unit.objects.get(code="school-a2")
    assert response["Location"] == reverse("core:unit-detail", args=[unit.pk])
    assert unit.parent == unit_a
    assert AuditEntry.objects.filter(model="core.unit", action="create", actor=officer_a).exists()


def test_the_city_admin_adds_a_top_level_unit(client_as, city_admin):
    client_as(city_admin).post(
        reverse("core:unit-create"), {"code": "province", "name": "Tỉnh", "kind": "city"}
    )
    assert Unit.objects.get(code="province").parent is None


def test_a_unit_admin_edits_their_unit_contacts_but_cannot_move_it(
    client_as, officer_a, unit_a, unit_b
):
    response = client_as(officer_a).post(
        reverse("core:unit-edit", args=[unit_a.pk]),
        {
            "code": unit_a.code,
            "name": unit_a.name,
            "kind": unit_a.kind,
            "parent": unit_b.pk,
            "incident_contact_name": "Nguyễn Văn Trực",
            "incident_contact_phone": "0912 000 111",
        },
    )
    assert response.status_code == 302
    unit_a.refresh_from_db()
    assert unit_a.incident_contact_phone == "0912 000 111"
    assert unit_a.parent.code == "city"


def test_an_operator_cannot_edit_their_unit(client_as, operator_a, unit_a):
    assert client_as(operator_a).get(reverse("core:unit-edit", args=[unit_a.pk])).status_code == 403


def test_people_of_another_unit_are_not_found(client_as, officer_a, officer_b):
    person_b = Person.objects.get(user=officer_b)
    client = client_as(officer_a)
    assert client.get(reverse("core:person-detail", args=[person_b.pk])).status_code == 404
    assert client.get(reverse("core:person-edit", args=[person_b.pk])).status_code == 404
    assert "Officer_B" not in client.get(reverse("core:person-list")).content.decode()


def test_a_unit_admin_creates_a_person_with_a_login(client, client_as, officer_a, unit_a):
    response = client_as(officer_a).post(
        reverse("core:person-create"),
        {
            "unit": unit_a.pk,
            "full_name": "Trần Thị Lan",
            "role": "operator",
            "is_active": "on",
            "account": "password",
            "username": "lan.tt",
            "password": "Tam-Diep-2026!",
        },
    )
    person = Person.objects.get(full_name="Trần Thị Lan")
    assert response["Location"] == reverse("core:person-detail", args=[person.pk])
    assert person.user.username == "lan.tt"
    client.logout()
    login = client.post(reverse("login"), {"username": "lan.tt", "password": "Tam-Diep-2026!"})
    assert login["Location"] == reverse("core:dashboard")


def test_a_unit_admin_cannot_grant_city_admin(client_as, officer_a, unit_a):
    response = client_as(officer_a).post(
        reverse("core:person-create"),
        {"unit": unit_a.pk, "full_name": "X", "role": "city_admin", "account": "none"},
    )
    assert "role" in response.context["form"].errors
    assert not Person.objects.filter(full_name="X").exists()


def test_an_operator_cannot_add_people(client_as, operator_a):
    assert client_as(operator_a).get(reverse("core:person-create")).status_code == 403


def test_a_new_person_can_get_a_password_link_by_email(client, client_as, officer_a, unit_a):
    with (
        smtp_server() as (port, inbox),
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
        ),
    ):
        client_as(officer_a).post(
            reverse("core:person-create"),
            {
                "unit": unit_a.pk,
                "full_name": "Lê Văn Minh",
                "email": "minh@example.gov.vn",
                "role": "viewer",
                "account": "email",
                "username": "minh.lv",
            },
        )
    user = get_user_model().objects.get(username="minh.lv")
    assert not user.has_usable_password()
    assert len(inbox) == 1
    assert inbox[0]["To"] == "minh@example.gov.vn"
    assert "/accounts/reset/" in inbox[0].get_payload(decode=True).decode()
