import pytest
from django.urls import reverse

from citysoc.core.models import AuditEntry
from citysoc.inventory.models import Domain, Host, InformationSystem, IpRange
from tests.factories import make_domain, make_host, make_range, make_system


@pytest.fixture(autouse=True)
def english(settings):
    """Assert on the English text: the Vietnamese catalogue is filled in separately."""
    settings.LANGUAGE_CODE = "en"


KINDS = ["system", "host", "range", "domain"]


@pytest.fixture
def rows_b(unit_b):
    """One object of each kind in ward B."""
    system = make_system(unit_b, name="Cổng thông tin B")
    return {
        "system": system,
        "host": make_host(unit_b, hostname="srv-b", ipv4="10.2.0.5"),
        "range": make_range(unit_b, "10.2.0.0/24"),
        "domain": make_domain(unit_b, "phuongnamson.gov.vn", system=system),
    }


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("action", ["detail", "edit", "delete"])
def test_a_ward_officer_gets_404_for_another_wards_object(
    client_as, officer_a, rows_b, kind, action
):
    url = reverse(f"inventory:{kind}-{action}", args=[rows_b[kind].pk])
    assert client_as(officer_a).get(url).status_code == 404
    assert client_as(officer_a).post(url, {}).status_code == 404
    assert type(rows_b[kind]).objects.filter(pk=rows_b[kind].pk).exists()


@pytest.mark.parametrize("kind", KINDS)
def test_lists_never_show_another_units_rows(client_as, officer_a, unit_a, rows_b, kind):
    make_host(unit_a, hostname="pc-a")
    response = client_as(officer_a).get(reverse(f"inventory:{kind}-list"))
    assert response.status_code == 200
    assert str(rows_b[kind]) not in response.content.decode()


@pytest.mark.parametrize("kind", KINDS)
def test_the_city_admin_opens_every_page_of_a_wards_object(client_as, city_admin, rows_b, kind):
    client = client_as(city_admin)
    obj = rows_b[kind]
    for action in ("detail", "edit", "delete"):
        response = client.get(reverse(f"inventory:{kind}-{action}", args=[obj.pk]))
        assert response.status_code == 200, action
    assert str(obj) in client.get(reverse(f"inventory:{kind}-list")).content.decode()


def test_a_viewer_sees_a_system_but_may_not_edit_or_add(client_as, viewer_a, unit_a):
    system = make_system(unit_a, name="Một cửa")
    client = client_as(viewer_a)
    page = client.get(reverse("inventory:system-detail", args=[system.pk]))
    assert page.status_code == 200
    assert reverse("inventory:system-edit", args=[system.pk]) not in page.content.decode()
    assert client.get(reverse("inventory:system-edit", args=[system.pk])).status_code == 403
    assert client.get(reverse("inventory:system-create")).status_code == 403


def test_an_officer_creates_a_system_and_the_audit_log_records_it(client_as, officer_a, unit_a):
    response = client_as(officer_a).post(
        reverse("inventory:system-create"),
        {
            "unit": unit_a.pk,
            "name": "Hệ thống một cửa",
            "system_type": "citizen",
            "subtype": "one_stop",
            "info_classes": ["public", "personal"],
            "user_count": "120",
            "security_level": "3",
            "dossier_status": "approved",
            "decision_number": "123/QĐ-UBND",
            "decision_date": "15/01/2025",
            "approver": "Chủ tịch UBND",
        },
    )
    system = InformationSystem.objects.get(name="Hệ thống một cửa")
    assert response.status_code == 302
    assert response["Location"] == reverse("inventory:system-detail", args=[system.pk])
    assert system.unit == unit_a
    assert system.info_classes == ["public", "personal"]
    assert system.level_approved
    assert system.decision_date.isoformat() == "2025-01-15"
    entry = AuditEntry.objects.get(model="inventory.informationsystem", action="create")
    assert entry.actor == officer_a
    assert entry.unit == unit_a


def test_an_approved_level_without_a_decision_is_refused(client_as, officer_a, unit_a):
    response = client_as(officer_a).post(
        reverse("inventory:system-create"),
        {"unit": unit_a.pk, "name": "X", "system_type": "internal", "dossier_status": "approved"},
    )
    assert response.status_code == 200
    assert "decision number" in response.content.decode()
    assert not InformationSystem.objects.exists()


@pytest.mark.parametrize("kind", KINDS)
def test_a_post_naming_another_unit_is_refused(client_as, officer_a, unit_b, kind):
    data = {
        "system": {"name": "S", "system_type": "internal", "dossier_status": "none"},
        "host": {"hostname": "h", "kind": "server", "criticality": "low"},
        "range": {"text": "10.9.0.0/24", "scope": "public"},
        "domain": {"name": "evil.gov.vn"},
    }[kind]
    response = client_as(officer_a).post(
        reverse(f"inventory:{kind}-create"), {"unit": unit_b.pk, **data}
    )
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    model = {"system": InformationSystem, "host": Host, "range": IpRange, "domain": Domain}[kind]
    assert not model.objects.exists()


def test_the_unit_choices_are_only_the_units_the_user_may_edit(
    client_as, officer_a, unit_a, sub_unit_a, unit_b
):
    form = client_as(officer_a).get(reverse("inventory:host-create")).context["form"]
    assert set(form.fields["unit"].queryset) == {unit_a, sub_unit_a}


def test_a_host_may_serve_only_systems_of_its_own_unit(client_as, city_admin, unit_a, unit_b):
    other = make_system(unit_b, name="B portal")
    response = client_as(city_admin).post(
        reverse("inventory:host-create"),
        {
            "unit": unit_a.pk,
            "hostname": "srv-1",
            "kind": "server",
            "criticality": "high",
            "systems": [other.pk],
        },
    )
    assert "systems" in response.context["form"].errors
    assert not Host.objects.exists()


def test_a_range_is_stored_normalised_and_a_bad_one_shows_the_reason(client_as, officer_a, unit_a):
    client = client_as(officer_a)
    url = reverse("inventory:range-create")
    bad = client.post(url, {"unit": unit_a.pk, "text": "10.1.0.5/24", "scope": "public"})
    assert "did you mean 10.1.0.0/24" in bad.content.decode()
    client.post(url, {"unit": unit_a.pk, "text": "10.1.0.0-10.1.0.255", "scope": "public"})
    stored = IpRange.objects.get()
    assert (stored.text, stored.version) == ("10.1.0.0/24", 4)


def test_editing_a_domain_writes_an_audit_entry_with_before_and_after(client_as, officer_a, unit_a):
    domain = make_domain(unit_a, "bacson.gov.vn")
    client_as(officer_a).post(
        reverse("inventory:domain-edit", args=[domain.pk]),
        {"unit": unit_a.pk, "name": "WWW.BacSon.gov.vn", "url": "", "note": ""},
    )
    domain.refresh_from_db()
    assert domain.name == "www.bacson.gov.vn"
    entry = AuditEntry.objects.get(model="inventory.domain", action="update")
    assert entry.changes == {"before": {"name": "bacson.gov.vn"}, "after": {"name": domain.name}}


def test_deleting_asks_first_then_deletes_on_post(client_as, officer_a, unit_a):
    host = make_host(unit_a, hostname="old-pc")
    client = client_as(officer_a)
    url = reverse("inventory:host-delete", args=[host.pk])
    assert "old-pc" in client.get(url).content.decode()
    assert Host.objects.filter(pk=host.pk).exists()
    assert client.post(url)["Location"] == reverse("inventory:host-list")
    assert not Host.objects.filter(pk=host.pk).exists()
    assert AuditEntry.objects.filter(model="inventory.host", action="delete").exists()
