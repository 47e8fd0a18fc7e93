"""Rejected rows of a list give their reason in the reader's language."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from citysoc.engine import indicators
from citysoc.intel import reasons
from tests.intel.support import import_text

pytestmark = pytest.mark.django_db

BAD = ["300.1.1.1", "10.0.0.1/8", "2001:db8:::1", "10.0.0.9-10.0.0.1", "no-dot", "1.2.3.4 5.6.7.8"]


def test_the_version_page_gives_vietnamese_reasons(client_as, city_admin):
    version, _ = import_text("192.0.2.10\n" + "\n".join(BAD) + "\n")
    page = client_as(city_admin).get(reverse("intel:version-detail", args=[version.pk]))
    text = page.content.decode()
    rows = text[text.index('data-testid="rejected-rows"') :]
    assert "không phải địa chỉ IPv4 hợp lệ" in rows
    assert "địa chỉ đầu không khớp với độ dài tiền tố; có phải là 10.0.0.0/8?" in rows
    assert "không phải địa chỉ IPv6 hợp lệ" in rows
    assert "địa chỉ cuối của khoảng nhỏ hơn địa chỉ đầu" in rows
    assert "tên miền phải có ít nhất một dấu chấm" in rows
    assert "dòng này có 2 giá trị" in rows
    assert "not a valid" not in rows and "did you mean" not in rows


@pytest.mark.parametrize(
    "entry",
    ["300.1.1.1", "10.0.0.1/8", "2001:db8:::1", "10.0.0.9-10.0.0.1", "1.2.3.4-::1", "no-dot"]
    + ["http://", "ab/cd", "xn--.example"],
)
def test_every_reason_the_engine_gives_is_in_the_catalogue(entry):
    with pytest.raises(ValueError) as raised:
        indicators.classify(entry)
    english = str(raised.value)
    with translation.override("vi"):
        assert reasons.translate(english) != english, english


def test_an_unknown_reason_is_shown_as_it_is():
    with translation.override("vi"):
        assert reasons.translate("something new") == "something new"
