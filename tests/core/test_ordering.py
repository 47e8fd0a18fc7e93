"""Units in the order people expect: by the tree, siblings by kind, then by name (issue 14).

The units are created in the order that used to show through (internal id): a commune
first, then departments with an ISP created between them.
"""

from __future__ import annotations

import pytest

from citysoc.core.models import Unit
from citysoc.core.ordering import in_tree_order
from tests import factories

pytestmark = pytest.mark.django_db

EXPECTED = [
    "Thành phố Tam Điệp",
    "Phòng Tài chính – Kế hoạch",
    "Văn phòng HĐND và UBND",
    "Phường 2",
    "Trường THCS Phường 2",
    "Phường 10",
    "Xã Đông Sơn",
    "Xã Yên Sơn",
    "VNPT Ninh Bình",
]


@pytest.fixture
def tree(city):
    def unit(code, name, kind, parent=city):
        return factories.make_unit(code, kind=kind, parent=parent, name=name)

    unit("x-yenson", "Xã Yên Sơn", Unit.Kind.WARD)
    unit("vp", "Văn phòng HĐND và UBND", Unit.Kind.DEPARTMENT)
    unit("isp", "VNPT Ninh Bình", Unit.Kind.ISP)
    unit("p10", "Phường 10", Unit.Kind.WARD)
    p2 = unit("p2", "Phường 2", Unit.Kind.WARD)
    unit("tckh", "Phòng Tài chính – Kế hoạch", Unit.Kind.DEPARTMENT)
    unit("x-dongson", "Xã Đông Sơn", Unit.Kind.WARD)
    unit("thcs-p2", "Trường THCS Phường 2", Unit.Kind.SCHOOL, parent=p2)
    return city


def test_units_sort_by_tree_kind_then_name(tree):
    assert [u.name for u in in_tree_order(Unit.objects.all())] == EXPECTED


def _order_in(page: str) -> list[str]:
    found = [(page.find(f">{name}<"), name) for name in EXPECTED]
    return [name for pos, name in sorted(found) if pos >= 0]


@pytest.mark.parametrize("path", ["/units/", "/", "/duty/board/"])
def test_the_units_page_dashboard_and_duty_board_list_units_in_that_order(
    client_as, city_admin, tree, path
):
    page = client_as(city_admin).get(path).content.decode()
    assert _order_in(page) == EXPECTED
