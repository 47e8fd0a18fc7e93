import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password

from citysoc import cli
from citysoc.core import demo, demo_printout
from citysoc.core.models import AuditEntry, Person, Unit
from citysoc.inventory import overlaps
from citysoc.inventory.models import Domain, Host, InformationSystem, IpRange
from tests.support.shared_data import kept_until_the_last_test

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        "units": Unit.objects.count(),
        "people": Person.objects.count(),
        "users": get_user_model().objects.count(),
        "systems": InformationSystem.objects.count(),
        "hosts": Host.objects.count(),
        "host_links": Host.systems.through.objects.count(),
        "ranges": IpRange.objects.count(),
        "domains": Domain.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


@pytest.fixture(scope="class")
def loaded(django_db_setup, django_db_blocker):
    """The demo city, loaded once for the tests of the class (a load costs seconds)."""
    with kept_until_the_last_test(django_db_blocker):
        yield demo.load()


@pytest.mark.usefixtures("loaded")
class TestOneLoadOfTheDemoCity:
    """What one load gives, and what a second load keeps; each test's changes are undone."""

    def test_it_loads_a_city_that_meets_the_minimums(self):
        counts = _counts()
        assert counts["units"] >= 12
        assert counts["systems"] >= 40
        assert counts["hosts"] >= 500
        assert counts["domains"] >= 10
        levels = set(InformationSystem.objects.values_list("security_level", flat=True))
        assert {1, 2, 3, 4} <= levels
        unapproved = InformationSystem.objects.exclude(
            dossier_status=InformationSystem.Dossier.APPROVED
        )
        assert unapproved.filter(security_level__isnull=True).exists()
        assert set(InformationSystem.objects.values_list("regime__code", flat=True)) >= {
            "nd85-2016",
            "nd331-2026",
        }
        assert {Host.Kind.SERVER, Host.Kind.WORKSTATION, Host.Kind.NETWORK} <= set(
            Host.objects.values_list("kind", flat=True)
        )
        assert all("example" in name for name in Domain.objects.values_list("name", flat=True))

    def test_it_gives_every_unit_its_ranges_and_the_overlap_screen_one_pair(self):
        assert not Unit.objects.filter(ranges__isnull=True).exists()
        assert IpRange.objects.filter(
            scope=IpRange.Scope.PUBLIC, provider__kind=Unit.Kind.ISP
        ).exists()
        assert IpRange.objects.filter(nat_egress=True).exists()
        assert IpRange.objects.filter(version=6).exists()
        pairs = overlaps.overlapping_pairs(overlaps.spans_of(IpRange.objects.all()))
        assert len(pairs) == 1
        first, second = pairs[0]
        assert first.unit_id != second.unit_id

    def test_it_has_every_kind_of_unit_with_contacts_and_one_two_levels_deep(self):
        units = list(Unit.objects.all())
        assert {u.kind for u in units} == set(Unit.Kind.values)
        assert [u.kind for u in units if u.parent_id is None] == [Unit.Kind.CITY]
        assert max(u.depth for u in units) >= 2
        for unit in units:
            assert unit.address and unit.security_lead_name and unit.incident_contact_phone
            assert ".example." in unit.incident_contact_email

    def test_it_gives_people_every_login_role_with_the_printed_password(self, loaded):
        accounts = loaded
        assert {a["role"] for a in accounts} == {
            "city_admin",
            "unit_admin",
            "operator",
            "viewer",
            "isp_liaison",
        }
        root = Unit.objects.get(parent=None)
        assert set(Person.objects.filter(unit=root).values_list("role", flat=True)) >= {
            "city_admin",
            "viewer",
        }
        assert all(
            p.unit.kind == Unit.Kind.ISP
            for p in Person.objects.filter(role=Person.Role.ISP_LIAISON)
        )
        for account in accounts:
            user = get_user_model().objects.get(username=account["username"])
            assert user.check_password(account["password"])
            assert Person.objects.filter(
                user=user, unit__code=account["unit"], role=account["role"]
            )
        validate_password(demo.DEMO_PASSWORD, user)

    def test_running_it_twice_changes_nothing(self):
        before = _counts()
        again = demo.load()
        assert _counts() == before
        assert again.existing == {a["username"] for a in again}

    def test_a_changed_password_survives_a_rerun(self):
        user = get_user_model().objects.get(username="bacson.admin")
        user.set_password("My-own-secret-2026")
        user.save()
        accounts = demo.load()
        user.refresh_from_db()
        assert user.check_password("My-own-secret-2026")
        assert "bacson.admin" in accounts.existing
        assert "bacson.admin *" in demo_printout.describe(accounts)

    def test_it_keeps_a_unit_the_user_edited(self):
        Unit.objects.filter(code="p-bacson").update(incident_contact_phone="0999 000 111")
        demo.load()
        assert Unit.objects.get(code="p-bacson").incident_contact_phone == "0999 000 111"

    def test_a_ward_officer_sees_only_their_ward_and_its_school(self):
        officer = get_user_model().objects.get(username="bacson.admin")
        ward = Unit.objects.get(code="p-bacson")
        assert set(Unit.objects.visible_to(officer).values_list("code", flat=True)) == {
            "p-bacson",
            "thcs-bacson",
        }
        hosts = Host.objects.visible_to(officer)
        assert hosts.exists()
        assert not hosts.exclude(unit__path__startswith=ward.path).exists()
        assert (
            not InformationSystem.objects.visible_to(officer)
            .exclude(unit__path__startswith=ward.path)
            .exists()
        )


def test_the_demo_command_prints_the_accounts_as_json(capsys):
    assert cli.main(["demo", "--json"]) == 0
    accounts = json.loads(capsys.readouterr().out)
    assert len(accounts) >= 10
    assert all(set(a) == {"username", "password", "role", "unit"} for a in accounts)
    assert {"city.admin", "city.viewer", "bacson.admin"} <= {a["username"] for a in accounts}
    assert Unit.objects.filter(code__in={a["unit"] for a in accounts}).count() == len(
        {a["unit"] for a in accounts}
    )


def test_the_demo_command_prints_where_to_log_in(capsys):
    assert cli.main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "http://" in out
    assert demo.DEMO_PASSWORD in out
    assert "city.admin" in out
