"""Enrolment: the token's unit and only it; hosts matched inside that unit only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from citysoc.inventory.models import Host
from citysoc.sweep import enrolment
from citysoc.sweep.models import Agent, EnrolmentToken
from tests import factories

pytestmark = pytest.mark.django_db

FACTS = {
    "hostname": "ketoan-01",
    "os": "Windows",
    "os_version": "10 10.0.19045",
    "machine_id": "m-1",
    "ips": ["192.0.2.21", "127.0.0.1", "fe80::1"],
    "macs": ["00:16:3e:00:00:01"],
    "users": ["ketoan"],
    "software": ["7-Zip 23.01"],
    "agent_version": "0.1.0",
}


def _enrol(client, token: str, **facts):
    return client.post(
        "/api/agent/enrol/",
        {"token": token, "facts": {**FACTS, **facts}},
        content_type="application/json",
    )


def test_a_host_is_matched_to_the_units_host_by_hostname_and_described(client, unit_a):
    host = factories.make_host(unit_a, hostname="KETOAN-01")
    response = _enrol(client, enrolment.create_token(unit_a).secret)
    assert response.status_code == 201
    assert response.json()["unit"] == unit_a.code and len(response.json()["secret"]) == 64
    agent = Agent.objects.get()
    assert agent.host == host and agent.ips == ["192.0.2.21"] and agent.users == ["ketoan"]
    host.refresh_from_db()
    assert (host.ipv4, host.mac, host.os) == (
        "192.0.2.21",
        "00:16:3e:00:00:01",
        "Windows 10 10.0.19045",
    )


def test_a_host_is_matched_by_address_when_its_name_differs(client, unit_a):
    host = factories.make_host(unit_a, hostname="pc-accounting", ipv4="192.0.2.21")
    _enrol(client, enrolment.create_token(unit_a).secret)
    assert Agent.objects.get().host == host


def test_a_token_of_unit_a_never_enrols_into_unit_b_even_for_b_hosts_name_and_address(
    client, unit_a, unit_b
):
    b_host = factories.make_host(unit_b, hostname="ketoan-01", ipv4="192.0.2.21")
    response = _enrol(client, enrolment.create_token(unit_a).secret)
    assert response.status_code == 201 and response.json()["unit"] == unit_a.code
    agent = Agent.objects.get()
    assert agent.unit == unit_a and agent.host.unit == unit_a and agent.host != b_host
    assert Host.objects.filter(unit=unit_b).count() == 1


def test_a_machine_enrolled_in_unit_b_is_refused_by_unit_as_token(client, unit_a, unit_b):
    _enrol(client, enrolment.create_token(unit_b).secret)
    response = _enrol(client, enrolment.create_token(unit_a).secret)
    assert response.status_code == 409
    assert "citysoc-agent uninstall" in response.json()["detail"]
    assert list(Agent.objects.values_list("unit__code", flat=True)) == [unit_b.code]


def test_an_unknown_expired_or_revoked_token_is_refused(client, unit_a):
    assert _enrol(client, "cse_nothing").status_code == 403
    old = enrolment.create_token(unit_a)
    old.token.expires_at = timezone.now() - dt.timedelta(minutes=1)
    old.token.save()
    assert _enrol(client, old.secret).status_code == 403
    revoked = enrolment.create_token(unit_a)
    revoked.token.revoked = True
    revoked.token.save()
    assert _enrol(client, revoked.secret).status_code == 403
    assert not Agent.objects.exists()


def test_the_token_is_kept_only_as_a_hash(unit_a):
    new = enrolment.create_token(unit_a)
    assert new.secret not in (new.token.token_hash, new.token.prefix)
    assert new.secret.startswith(new.token.prefix)


def test_cli_creates_a_token_for_a_unit(unit_a, capsys):
    from citysoc.cli import main

    assert main(["agent-token", "create", "--unit", unit_a.code, "--days", "3"]) == 0
    secret = capsys.readouterr().out.strip()
    assert secret.startswith("cse_")
    assert main(["agent-token", "create", "--unit", "nope"]) == 2


def test_a_unit_admin_creates_a_token_on_the_page_and_sees_it_once(client_as, officer_a, unit_a):
    response = client_as(officer_a).post(
        "/sweep/tokens/new/", {"unit": unit_a.pk, "days": 7, "note": "phòng kế toán"}
    )
    page = response.content.decode()
    token = EnrolmentToken.objects.get()
    assert response.status_code == 200 and token.unit == unit_a
    assert f"citysoc-agent enroll http://testserver {token.prefix}" in page


def test_a_unit_admin_cannot_create_a_token_for_another_unit(client_as, officer_b, unit_a):
    response = client_as(officer_b).post("/sweep/tokens/new/", {"unit": unit_a.pk, "days": 7})
    assert response.status_code == 302 and not EnrolmentToken.objects.exists()
