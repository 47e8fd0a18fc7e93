"""The demo websites: history and two findings, no network, and a second load adds nothing."""

from __future__ import annotations

import pytest

from citysoc.alerts.models import Alert
from citysoc.webwatch import demo
from citysoc.webwatch.models import CheckRun, Finding, Monitor
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_domains(city):
    for code in ("p-bacson", "p-namson", "p-trungson", "x-quangson"):
        unit = factories.make_unit(code, parent=city, name=f"Phường {code}")
        factories.make_domain(unit, f"{code}.tamdiep.example.gov.vn")
    factories.make_domain(city, "mail.tamdiep.example.gov.vn")


def test_the_demo_loads_once_with_history_and_findings(demo_domains):
    first = demo.load()
    assert first["monitors"] == 4  # the mail server is not a website
    assert CheckRun.objects.filter(up=False).exists()  # one site was down for a while
    assert set(Finding.objects.values_list("check_name", flat=True)) == {
        "injected_links",
        "defacement",
    }
    assert "diff" in Finding.objects.get(check_name="defacement").evidence
    assert Alert.objects.count() == 2
    assert Monitor.objects.filter(public=True).count() == 1

    runs = CheckRun.objects.count()
    assert demo.load() == {"monitors": 0, "runs": 0, "findings": 0}
    assert CheckRun.objects.count() == runs
    assert Alert.objects.get(dedup_key__endswith=":defacement:changed").count == 1
