"""Issue 13 item 2: a ward cannot claim another unit's addresses.

Attribution gives a listed address to the most specific registered entry, so a host or a
range a ward registers inside another unit's space (or 0.0.0.0/0) used to take that unit's
infected address, and its clean-up task. Such entries now wait for a city role's approval
and are ignored by attribution until then; the unit is told why without learning whose
space it is.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from citysoc.core.models import AuditEntry
from citysoc.intel.models import CleanupTask, Sighting
from citysoc.inventory import import_jobs, importing
from citysoc.inventory.models import Host, IpRange
from tests import factories
from tests.intel.support import import_text

pytestmark = pytest.mark.django_db

B_RANGE = "203.0.113.0/28"
B_ADDRESS = "203.0.113.5"


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def b_space(unit_b):
    """Ward B's registered range: its address is B's to clean up."""
    return factories.make_range(unit_b, B_RANGE)


def owners(version) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for ip, code in Sighting.objects.filter(version=version).values_list("ip", "unit__code"):
        found.setdefault(ip, set()).add(code)
    return found


def task_units(ip: str) -> set[str]:
    return set(CleanupTask.objects.filter(ip=ip).values_list("unit__code", flat=True))


# The attack through the API, and the botnet list after it


def test_a_host_inside_another_wards_range_waits_and_takes_nothing(officer_a, b_space):
    response = api(officer_a).post(
        "/api/hosts/",
        {"unit": "ward-a", "hostname": "stolen", "ipv4": B_ADDRESS},
        format="json",
    )
    assert response.status_code == 201, response.json()
    version, _ = import_text(f"{B_ADDRESS}\n")
    assert owners(version) == {B_ADDRESS: {"ward-b"}}
    assert task_units(B_ADDRESS) == {"ward-b"}

    body = response.json()
    assert body["claim_state"] == "pending"
    assert body["claim_reasons"] == ["overlap"]
    assert body["claim_conflicts"] == []  # a ward is not told whose space it is
    assert "ward-b" not in response.content.decode()


def test_the_whole_internet_as_a_range_waits_and_takes_nothing(officer_a, b_space):
    response = api(officer_a).post(
        "/api/ranges/", {"unit": "ward-a", "text": "0.0.0.0/0"}, format="json"
    )
    assert response.status_code == 201, response.json()
    # B's address stays B's, and unregistered space is not handed to the claimer.
    version, _ = import_text(f"{B_ADDRESS}\n192.0.2.77\n")
    assert owners(version) == {B_ADDRESS: {"ward-b"}}
    assert not CleanupTask.objects.filter(unit__code="ward-a").exists()

    assert response.json()["claim_state"] == "pending"
    assert response.json()["claim_reasons"] == ["overlap", "too_wide"]


def test_the_same_range_as_another_ward_waits(officer_a, b_space):
    response = api(officer_a).post("/api/ranges/", {"unit": "ward-a", "text": B_RANGE})
    assert response.json()["claim_state"] == "pending"
    version, _ = import_text(f"{B_ADDRESS}\n")
    assert owners(version) == {B_ADDRESS: {"ward-b"}}  # not shared with the claimer


def test_a_range_over_another_wards_host_waits(officer_a, unit_b):
    factories.make_host(unit_b, hostname="b-mail", ipv4="198.51.100.77")
    response = api(officer_a).post("/api/ranges/", {"unit": "ward-a", "text": "198.51.100.64/27"})
    assert response.json()["claim_state"] == "pending"
    assert response.json()["claim_reasons"] == ["overlap"]


def test_a_wide_range_in_free_space_waits_but_a_ward_sized_one_does_not(officer_a):
    client = api(officer_a)
    wide = client.post("/api/ranges/", {"unit": "ward-a", "text": "198.18.0.0/19"}).json()
    assert (wide["claim_state"], wide["claim_reasons"]) == ("pending", ["too_wide"])
    limit = client.post("/api/ranges/", {"unit": "ward-a", "text": "198.18.32.0/20"}).json()
    assert limit["claim_state"] == "approved"
    v6 = client.post("/api/ranges/", {"unit": "ward-a", "text": "2001:db8::/39"}).json()
    assert v6["claim_reasons"] == ["too_wide"]
    assert client.post("/api/ranges/", {"unit": "ward-a", "text": "2001:db8::/40"}).json()[
        "claim_state"
    ] == ("approved")


def test_the_city_sets_the_size_limit(officer_a, settings):
    settings.ADDRESS_CLAIM_MAX_PREFIX_V4 = 24
    body = api(officer_a).post("/api/ranges/", {"unit": "ward-a", "text": "198.18.0.0/23"})
    assert body.json()["claim_reasons"] == ["too_wide"]


def test_own_space_sub_units_and_isp_blocks_are_approved_at_once(
    officer_a, unit_a, sub_unit_a, isp, b_space
):
    factories.make_range(unit_a, "198.51.100.0/24")
    factories.make_range(isp, "100.64.0.0/16")
    client = api(officer_a)
    inside_own = client.post(
        "/api/hosts/", {"unit": "ward-a", "hostname": "srv", "ipv4": "198.51.100.9"}
    )
    for_school = client.post("/api/ranges/", {"unit": "school-a1", "text": "198.51.100.128/26"})
    in_isp_block = client.post("/api/ranges/", {"unit": "ward-a", "text": "100.64.7.0/24"})
    for response in (inside_own, for_school, in_isp_block):
        assert response.json()["claim_state"] == "approved", response.json()


def test_a_ward_cannot_approve_by_writing_the_state(officer_a, b_space):
    client = api(officer_a)
    created = client.post(
        "/api/hosts/",
        {"unit": "ward-a", "hostname": "x", "ipv4": B_ADDRESS, "claim_state": "approved"},
        format="json",
    ).json()
    assert created["claim_state"] == "pending"
    patched = client.patch(
        f"/api/hosts/{created['id']}/", {"claim_state": "approved"}, format="json"
    ).json()
    assert patched["claim_state"] == "pending"
    assert client.post(f"/api/hosts/{created['id']}/approve/").status_code == 403
    assert Host.objects.get().claim_state == "pending"


def test_moving_an_approved_host_into_another_wards_range_makes_it_wait(officer_a, unit_a, b_space):
    host = factories.make_host(unit_a, hostname="pc", ipv4="192.0.2.10")
    client = api(officer_a)
    kept = client.patch(f"/api/hosts/{host.pk}/", {"os": "Debian"}, format="json").json()
    assert kept["claim_state"] == "approved"
    moved = client.patch(f"/api/hosts/{host.pk}/", {"ipv4": B_ADDRESS}, format="json").json()
    assert moved["claim_state"] == "pending"
    version, _ = import_text(f"{B_ADDRESS}\n")
    assert owners(version) == {B_ADDRESS: {"ward-b"}}


def test_a_city_admins_own_entries_are_approved(city_admin, unit_a, b_space):
    body = api(city_admin).post("/api/ranges/", {"unit": "ward-a", "text": "0.0.0.0/0"}).json()
    assert body["claim_state"] == "approved"


# The web forms


def test_the_web_form_keeps_the_claim_pending_and_says_why_in_vietnamese(
    client_as, officer_a, unit_a, b_space
):
    client = client_as(officer_a)
    response = client.post(
        reverse("inventory:host-create"),
        {
            "unit": unit_a.pk,
            "hostname": "stolen",
            "kind": "server",
            "ipv4": B_ADDRESS,
            "criticality": "medium",
        },
        follow=True,
    )
    assert response.status_code == 200
    host = Host.objects.get(hostname="stolen")
    assert host.claim_state == "pending"
    page = response.content.decode()
    assert "chờ phê duyệt" in page
    assert "vùng địa chỉ đã đăng ký của đơn vị khác" in page
    assert "ward-b" not in page and "Nam Sơn" not in page
    listing = client.get(reverse("inventory:host-list")).content.decode()
    assert 'data-claim="pending"' in listing


def test_the_range_form_too(client_as, officer_a, unit_a, b_space):
    client = client_as(officer_a)
    client.post(
        reverse("inventory:range-create"),
        {"unit": unit_a.pk, "text": "203.0.113.0/24", "scope": "public"},
    )
    assert IpRange.objects.get(unit=unit_a).claim_state == "pending"


# Imports


def test_a_host_import_keeps_the_claimed_rows_pending(tmp_path, officer_a, b_space):
    path = tmp_path / "hosts.csv"
    path.write_text(
        f"Mã đơn vị,Tên máy,Địa chỉ IPv4\nward-a,own,192.0.2.20\nward-a,stolen,{B_ADDRESS}\n",
        encoding="utf-8",
    )
    checked = importing.check(path, "hosts", officer_a)
    result = importing.write(checked)
    importing.audit_import("hosts", "hosts.csv", result, None)
    assert (result.created, result.pending) == (2, 1)
    states = dict(Host.objects.values_list("hostname", "claim_state"))
    assert states == {"own": "approved", "stolen": "pending"}
    entry = AuditEntry.objects.get(action="import")
    assert entry.changes["pending_approval"] == 1
    version, _ = import_text(f"{B_ADDRESS}\n")
    assert owners(version) == {B_ADDRESS: {"ward-b"}}


def test_a_range_import_keeps_a_wide_range_pending(tmp_path, officer_a):
    path = tmp_path / "ranges.csv"
    path.write_text("unit,CIDR\nward-a,0.0.0.0/0\nward-a,192.0.2.0/24\n", encoding="utf-8")
    result = importing.write(importing.check(path, "ranges", officer_a))
    assert result.pending == 1
    assert dict(IpRange.objects.values_list("text", "claim_state")) == {
        "0.0.0.0/0": "pending",
        "192.0.2.0/24": "approved",
    }


def test_re_importing_an_approved_host_keeps_the_city_decision(
    tmp_path, officer_a, b_space, city_admin
):
    path = tmp_path / "hosts.csv"
    path.write_text(
        f"Mã đơn vị,Tên máy,Địa chỉ IPv4,Vị trí\nward-a,gw,{B_ADDRESS},a\n", encoding="utf-8"
    )
    importing.write(importing.check(path, "hosts", officer_a))
    api(city_admin).post(f"/api/hosts/{Host.objects.get().pk}/approve/")
    path.write_text(
        f"Mã đơn vị,Tên máy,Địa chỉ IPv4,Vị trí\nward-a,gw,{B_ADDRESS},b\n", encoding="utf-8"
    )
    importing.write(importing.check(path, "hosts", officer_a))
    assert Host.objects.get().claim_state == "approved"


def test_the_address_plan_is_judged_for_whoever_imports_it(tmp_path, officer_a, b_space):
    path = tmp_path / "plan.csv"
    path.write_text(f"Mã đơn vị,CIDR\nward-a,{B_RANGE}\n", encoding="utf-8")
    # A unit's user (never offered this import in the web) is judged like any claim...
    result = importing.write(importing.check(path, "address_plan", officer_a))
    assert result.pending == 1
    IpRange.objects.filter(unit__code="ward-a").delete()
    # ...the server's command line is the city's own tool: approved as it stands.
    summary = import_jobs.import_address_plan(path)
    assert summary["created_ranges"] == 1
    assert IpRange.objects.get(unit__code="ward-a").claim_state == "approved"


# The city decides


def test_the_city_approves_through_the_api_with_an_audit_entry(
    officer_a, city_admin, b_space, unit_a
):
    host_id = (
        api(officer_a)
        .post("/api/hosts/", {"unit": "ward-a", "hostname": "gw", "ipv4": B_ADDRESS})
        .json()["id"]
    )
    city = api(city_admin)
    pending = city.get("/api/hosts/?claim_state=pending").json()["results"]
    assert [row["id"] for row in pending] == [host_id]
    assert pending[0]["claim_conflicts"] == [
        {"kind": "range", "id": b_space.pk, "unit": "ward-b", "entry": B_RANGE}
    ]
    response = city.post(f"/api/hosts/{host_id}/approve/", {"note": "Đã xác minh"})
    assert response.status_code == 200, response.json()
    assert response.json()["claim_state"] == "approved"
    entry = AuditEntry.objects.filter(model="inventory.host", action="update").latest("pk")
    assert entry.actor == city_admin
    assert entry.changes["before"]["claim_state"] == "pending"
    assert entry.changes["after"]["claim_state"] == "approved"
    # Approved: the host, more specific than B's range, now names ward A.
    version, _ = import_text(f"{B_ADDRESS}\n")
    assert owners(version) == {B_ADDRESS: {"ward-a"}}


def test_the_city_rejects_on_the_page_and_the_unit_reads_the_note(
    client_as, officer_a, city_admin, b_space, client
):
    rng = api(officer_a).post("/api/ranges/", {"unit": "ward-a", "text": B_RANGE}).json()
    client.force_login(city_admin)
    page = client.get(reverse("inventory:claims")).content.decode()
    assert f'data-claim-row="range-{rng["id"]}"' in page
    assert "ward-b" in page  # the city sees whose space it is
    client.post(
        reverse("inventory:range-decide", args=[rng["id"]]),
        {"decision": "reject", "note": "Dải này của phường Nam Sơn"},
    )
    r = IpRange.objects.get(pk=rng["id"])
    assert (r.claim_state, r.claim_note) == ("rejected", "Dải này của phường Nam Sơn")
    assert AuditEntry.objects.filter(
        model="inventory.iprange", object_id=str(r.pk), action="update", actor=city_admin
    ).exists()
    client.force_login(officer_a)
    detail = client.get(reverse("inventory:range-detail", args=[r.pk])).content.decode()
    assert "Dải này của phường Nam Sơn" in detail


def test_only_the_city_sees_the_list_to_approve(client, officer_a, officer_b, b_space):
    api(officer_a).post("/api/ranges/", {"unit": "ward-a", "text": B_RANGE})
    for user in (officer_a, officer_b):
        client.force_login(user)
        assert client.get(reverse("inventory:claims")).status_code == 404
        r = IpRange.objects.get(unit__code="ward-a")
        decided = client.post(
            reverse("inventory:range-decide", args=[r.pk]), {"decision": "approve"}
        )
        assert decided.status_code == 404
    # B does not see A's pending entry, A sees only its own.
    b_rows = api(officer_b).get("/api/ranges/?claim_state=pending").json()["results"]
    a_rows = api(officer_a).get("/api/ranges/?claim_state=pending").json()["results"]
    assert b_rows == []
    assert [row["unit"] for row in a_rows] == ["ward-a"]
    assert IpRange.objects.get(unit__code="ward-a").claim_state == "pending"


def test_the_owner_lookup_ignores_a_pending_claim(client_as, officer_a, city_admin, b_space):
    api(officer_a).post(
        "/api/hosts/", {"unit": "ward-a", "hostname": "claimed-gw-77", "ipv4": B_ADDRESS}
    )
    client = client_as(city_admin)
    page = client.get(reverse("inventory:lookup"), {"q": B_ADDRESS}).content.decode()
    assert "Phường Nam Sơn" in page and "claimed-gw-77" not in page


def test_the_demo_citys_addresses_are_approved():
    from citysoc.core import demo

    demo.load()
    assert Host.objects.count() > 0 and IpRange.objects.count() > 0
    assert not Host.objects.exclude(claim_state="approved").exists()
    assert not IpRange.objects.exclude(claim_state="approved").exists()
