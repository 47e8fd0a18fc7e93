"""Apprise: any service it knows, when the package is installed on the worker."""

import importlib.util

import pytest

from citysoc.notify.models import Channel, Delivery
from tests.notify.transports.support import golden, send


def test_apprise_without_the_package_tells_the_operator_to_install_it(db, unit_a):
    if importlib.util.find_spec("apprise") is not None:
        pytest.skip("apprise is installed here: this test is about a worker without it")
    url = golden("apprise/url.txt").strip()
    channel = Channel.objects.create(
        unit=unit_a, kind="apprise", name="Discord", config={"url": url}
    )
    send(channel)
    delivery = Delivery.objects.get()
    assert delivery.status == "dead"
    assert "pip install apprise" in delivery.last_error
