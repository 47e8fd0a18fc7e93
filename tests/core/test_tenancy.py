from citysoc.core.models import Unit
from citysoc.core.tenancy import can_edit, can_see
from citysoc.inventory.models import Host
from tests.factories import make_host


def test_a_unit_admin_sees_their_unit_and_its_sub_units_only(unit_a, unit_b, sub_unit_a, officer_a):
    visible = set(Unit.objects.visible_to(officer_a).values_list("code", flat=True))
    assert visible == {"ward-a", "school-a1"}


def test_a_city_admin_sees_every_unit(unit_a, unit_b, city_admin):
    assert Unit.objects.visible_to(city_admin).count() == Unit.objects.count()


def test_hosts_of_another_unit_are_invisible(unit_a, unit_b, officer_a):
    mine = make_host(unit_a, hostname="a-pc1")
    make_host(unit_b, hostname="b-pc1")
    assert list(Host.objects.visible_to(officer_a)) == [mine]


def test_a_viewer_can_see_but_not_edit(unit_a, viewer_a):
    assert can_see(viewer_a, unit_a)
    assert not can_edit(viewer_a, unit_a)


def test_an_anonymous_user_sees_nothing(unit_a):
    from django.contrib.auth.models import AnonymousUser

    assert not Unit.objects.visible_to(AnonymousUser()).exists()


def test_moving_a_unit_moves_its_subtree(unit_a, unit_b, sub_unit_a):
    unit_a.parent = unit_b
    unit_a.save()
    sub_unit_a.refresh_from_db()
    assert sub_unit_a.path.startswith(unit_b.path)
