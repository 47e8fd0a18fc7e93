import ipaddress

import pytest
from django.urls import reverse

from citysoc.inventory.lookup import lookup
from citysoc.inventory.models import Domain, Host, IpRange
from tests.factories import make_domain, make_host, make_range, make_system


@pytest.fixture(autouse=True)
def english(settings):
    """Assert on the English text: the Vietnamese catalogue is filled in separately."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def city_inventory(unit_a, unit_b, sub_unit_a):
    portal = make_system(unit_a, name="Cổng thông tin A")
    web = make_host(unit_a, hostname="web-a", ipv4="203.0.113.10", ipv6="2001:db8::10")
    web.systems.add(portal)
    make_host(unit_b, hostname="web-b", ipv4="198.51.100.20")
    make_range(unit_a, "203.0.113.0/24")
    make_range(sub_unit_a, "203.0.113.32/28")
    make_range(unit_b, "198.51.100.0/24")
    make_range(unit_a, "2001:db8::/64")
    make_domain(unit_a, "bacson.gov.vn", system=portal)
    make_domain(unit_b, "namson.gov.vn")
    return portal


def _reference_ip(text: str, user_units) -> tuple[set[str], set[str]]:
    """The obvious answer: test every host and range with the ipaddress module."""
    address = ipaddress.ip_address(text)
    hosts = {
        h.hostname
        for h in Host.objects.filter(unit__in=user_units)
        if address in {ipaddress.ip_address(a) for a in (h.ipv4, h.ipv6) if a}
    }
    ranges = set()
    for r in IpRange.objects.filter(unit__in=user_units):
        parsed = iprange_of(r.text)
        if parsed.version == address.version and parsed.first <= int(address) <= parsed.last:
            ranges.add(r.text)
    return hosts, ranges


def iprange_of(text):
    from citysoc.lib.iprange import parse_range

    return parse_range(text)


@pytest.mark.parametrize(
    "address",
    [
        "203.0.113.10",
        "203.0.113.5",
        "203.0.113.200",
        "198.51.100.20",
        "2001:db8::10",
        "2001:db8::ffff",
        "192.0.2.1",
    ],
)
def test_an_ip_lookup_matches_the_obvious_answer(city_admin, city_inventory, address):
    from citysoc.core.models import Unit

    result = lookup(city_admin, address)
    hosts, ranges = _reference_ip(address, Unit.objects.all())
    assert result.kind == "ip"
    assert {h.hostname for h in result.hosts} == hosts
    assert {r.text for r in result.ranges} == ranges


def test_an_ip_lookup_names_the_unit_system_and_host(
    city_admin, city_inventory, unit_a, sub_unit_a
):
    result = lookup(city_admin, "http://203.0.113.10/login")
    assert [h.hostname for h in result.hosts] == ["web-a"]
    assert result.systems == [city_inventory]
    assert result.units == [unit_a]
    inner = lookup(city_admin, "203.0.113.40")
    assert inner.units == [unit_a, sub_unit_a]


def test_a_ward_never_learns_who_owns_another_wards_address(officer_b, city_inventory):
    result = lookup(officer_b, "203.0.113.10")
    assert not result.found
    assert result.units == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("bacson.gov.vn", ["bacson.gov.vn"]),
        ("https://dichvucong.bacson.gov.vn/thu-tuc?id=1", ["bacson.gov.vn"]),
        ("BACSON.gov.vn.", ["bacson.gov.vn"]),
        ("notbacson.gov.vn", []),
        ("gov.vn", []),
    ],
)
def test_a_domain_lookup_finds_the_domain_or_its_parent(
    city_admin, city_inventory, query, expected
):
    result = lookup(city_admin, query)
    assert result.kind == "domain"
    assert [d.name for d in result.domains] == expected
    reference = [
        d.name
        for d in Domain.objects.all()
        if result.normalized == d.name or result.normalized.endswith("." + d.name)
    ]
    assert reference == expected


def test_a_domain_lookup_names_its_system(city_admin, city_inventory, unit_a):
    result = lookup(city_admin, "www.bacson.gov.vn")
    assert result.systems == [city_inventory]
    assert result.units == [unit_a]


def test_nonsense_gets_a_clear_error(city_admin):
    result = lookup(city_admin, "not an address!")
    assert "neither an IP address nor a domain name" in result.error


def test_the_lookup_page_answers(client_as, officer_a, city_inventory):
    page = client_as(officer_a).get(reverse("inventory:lookup") + "?q=203.0.113.10")
    text = page.content.decode()
    assert "web-a" in text and "Cổng thông tin A" in text
    other = client_as(officer_a).get(reverse("inventory:lookup") + "?q=198.51.100.20")
    assert "web-b" not in other.content.decode()
