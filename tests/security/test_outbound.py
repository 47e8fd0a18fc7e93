"""Issue 13 item 1: requests the server makes for a unit never reach where they must not.

A ward operator points a monitor, a webhook, a Telegram base_url, an SMS gateway (or the
city a feed) at loopback, the cloud metadata address, another unit's intranet, `[::1]`,
`localhost`, or a page that redirects there. The server must refuse at connection time,
before a byte is sent, record a short reason, and keep no answer body anywhere.

The servers here listen on 127.0.0.1: they stand for "an internal service". Loopback is
refused unless a test opens it on purpose (`outbound.ALLOW_LOOPBACK_FOR_TESTS`).
"""

from __future__ import annotations

import io
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from citysoc.core import outbound as unit_outbound
from citysoc.intel import feeds, fetching
from citysoc.intel.models import IndicatorSource
from citysoc.lib import outbound
from citysoc.lib.iprange import parse_range
from citysoc.notify import outbox
from citysoc.notify.models import Channel
from citysoc.webwatch import runner
from citysoc.webwatch.fetch import FetchConfig
from citysoc.webwatch.models import Monitor
from tests import factories
from tests.support import http_server

# Field errors are asserted in English (the UI default is Vietnamese).
pytestmark = pytest.mark.usefixtures("english")

# What an internal page would give away if it were fetched and shown back.
SECRET = "INTERNAL-ONLY-7f3a9c"
TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


class Internal(ThreadingHTTPServer):
    """An internal service: answers every request with SECRET, or redirects on /go?to=…"""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    @property
    def port(self) -> int:
        return self.server_address[1]


class _Handler(BaseHTTPRequestHandler):
    def _answer(self) -> None:
        self.server.requests.append(f"{self.command} {self.path}")
        if self.path.startswith("/go?to="):
            self.send_response(302)
            self.send_header("Location", self.path.removeprefix("/go?to="))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = f"<html><body><h1>{SECRET}</h1><a href='/next'>n</a></body></html>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer  # noqa: N815 - http.server's hook names

    def log_message(self, *args) -> None:
        pass


@contextmanager
def running() -> Iterator[Internal]:
    with http_server.running(Internal()) as server:
        yield server


@pytest.fixture
def internal() -> Iterator[Internal]:
    with running() as server:
        yield server


@pytest.fixture
def second() -> Iterator[Internal]:
    with running() as server:
        yield server


def nothing_kept() -> str:
    """Every row of the database as JSON: no part of an internal answer may be in it."""
    out = io.StringIO()
    call_command("dumpdata", stdout=out, exclude=["contenttypes", "auth.permission"])
    return out.getvalue()


# ---- the rule, as a function of (address, unit ranges, city allowlist) ------------------


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.9.9.9", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4 loopback written as IPv6
        ("169.254.169.254", "link-local"),  # cloud metadata
        ("fe80::1", "link-local"),
        ("0.0.0.0", "unspecified"),  # noqa: S104 - an address to refuse, not to bind
        ("::", "unspecified"),
        ("224.0.0.251", "multicast"),
        ("ff02::1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
    ],
)
def test_these_are_refused_even_when_the_allowlist_covers_them(address, kind):
    everything = (parse_range("0.0.0.0/0"), parse_range("::/0"))
    reason = outbound.refusal(address, everything)
    assert reason is not None and kind in reason


@pytest.mark.parametrize("address", ["10.9.9.9", "192.168.1.10", "172.16.0.5", "fd00::5"])
def test_private_space_outside_the_ranges_is_refused_inside_allowed(address):
    assert "private address" in outbound.refusal(address, (parse_range("10.20.0.0/16"),))
    assert outbound.refusal(address, (parse_range(address),)) is None


def test_shared_carrier_space_is_treated_as_private():
    assert "shared" in outbound.refusal("100.64.3.4")
    assert outbound.refusal("100.64.3.4", (parse_range("100.64.0.0/10"),)) is None


def test_public_addresses_are_allowed_and_their_private_neighbours_not():
    assert outbound.refusal("8.8.8.8") is None
    assert outbound.refusal("2001:4860:4860::8888") is None
    assert outbound.refusal("10.8.8.8") is not None


def test_the_servers_own_address_is_refused_even_in_an_allowed_range():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: only picks the route
        except OSError:
            pytest.skip("this machine has no route off loopback")
        own = probe.getsockname()[0]
    if own.startswith("127."):
        pytest.skip("this machine has no address besides loopback")
    assert "this server" in outbound.refusal(own, (parse_range(f"{own}/32"),))


@pytest.mark.django_db
def test_a_unit_reaches_its_own_ranges_and_the_city_allowlist_only(unit_a, unit_b, settings):
    factories.make_range(unit_a, "10.20.0.0/16")
    factories.make_range(unit_b, "10.30.0.0/16")
    settings.OUTBOUND_ALLOW = ["172.20.5.0/24"]
    ward_a = unit_outbound.policy_for(unit_a)
    assert ward_a.refusal("10.20.7.7") is None
    assert ward_a.refusal("172.20.5.9") is None
    assert "private address" in ward_a.refusal("10.30.7.7")  # ward B's intranet
    city_wide = unit_outbound.policy_for(None)
    assert city_wide.refusal("172.20.5.9") is None
    assert "private address" in city_wide.refusal("10.20.7.7")


@pytest.mark.django_db
def test_a_range_waiting_for_the_citys_approval_opens_nothing(unit_a):
    from citysoc.inventory.models import ClaimState

    claimed = factories.make_range(unit_a, "10.0.0.0/8")
    claimed.claim_state = ClaimState.PENDING
    claimed.save()
    assert "private address" in unit_outbound.policy_for(unit_a).refusal("10.99.1.1")
    claimed.claim_state = ClaimState.APPROVED
    claimed.save()
    assert unit_outbound.policy_for(unit_a).refusal("10.99.1.1") is None


# ---- at input: the API refuses what the text shows --------------------------------------


@pytest.fixture
def api_as():
    from rest_framework.test import APIClient

    def make(user) -> APIClient:
        client = APIClient()
        client.force_login(user)
        return client

    return make


BAD_URLS = [
    "http://127.0.0.1:8000/admin/",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.9.9.9/",
    "http://[::1]/",
    "http://localhost:5432/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", BAD_URLS)
def test_the_monitor_api_refuses_an_internal_url_with_a_field_error(api_as, operator_a, url):
    response = api_as(operator_a).post(
        "/api/monitors/", {"unit": "ward-a", "name": "x", "url": url}, format="json"
    )
    assert response.status_code == 400, response.content
    assert "cannot be reached from the server" in " ".join(response.json()["url"])
    assert not Monitor.objects.exists()


@pytest.mark.django_db
def test_the_monitor_api_accepts_the_units_own_range_and_not_another_units(
    api_as, operator_a, unit_a, unit_b
):
    factories.make_range(unit_a, "10.20.0.0/16")
    factories.make_range(unit_b, "10.30.0.0/16")
    client = api_as(operator_a)
    own = client.post(
        "/api/monitors/",
        {"unit": "ward-a", "name": "Cổng nội bộ", "url": "http://10.20.0.8/"},
        format="json",
    )
    assert own.status_code == 201, own.content
    other = client.post(
        "/api/monitors/",
        {"unit": "ward-a", "name": "B", "url": "http://10.30.0.8/"},
        format="json",
    )
    assert other.status_code == 400 and "10.30.0.8" in " ".join(other.json()["url"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "key", "config"),
    [
        ("webhook", "url", {"url": "http://127.0.0.1:9200/_bulk"}),
        ("telegram", "base_url", {"bot_token": TOKEN, "chat_id": "-1", "base_url": "http://[::1]"}),
        (
            "sms_http",
            "url_template",
            {"url_template": "http://169.254.169.254/?to={to}&m={text}", "numbers": "0912345678"},
        ),
        ("zalo", "base_url", {"access_token": "t", "user_id": "1", "base_url": "http://10.9.9.9"}),
        ("apprise", "url", {"url": "json://localhost:8000/hook"}),
    ],
)
def test_the_channel_api_refuses_an_internal_destination(api_as, operator_a, kind, key, config):
    response = api_as(operator_a).post(
        "/api/channels/",
        {"unit": "ward-a", "kind": kind, "name": "x", "config": config},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert any(
        e.startswith(f"{key}:") and "cannot be reached" in e for e in response.json()["config"]
    )
    assert not Channel.objects.exists()


# ---- at connection time: the real guard -------------------------------------------------


def _watch(unit, url: str) -> Monitor:
    # Saved directly, as a monitor from before this rule or a name that resolves later.
    return Monitor.objects.create(unit=unit, name="x", url=url, must_contain=SECRET[:8])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "where",
    ["http://127.0.0.1:{port}/", "http://localhost:{port}/", "http://[::1]:{port}/"],
)
def test_a_monitor_of_an_internal_address_fetches_nothing_and_keeps_no_body(
    unit_a, internal, where
):
    monitor = _watch(unit_a, where.format(port=internal.port))
    runner.check_monitors([monitor])
    monitor.refresh_from_db()
    assert internal.requests == []
    assert monitor.last_error.startswith("refused:")
    assert "loopback" in monitor.last_error
    assert SECRET not in nothing_kept()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "to", ["http://169.254.169.254/latest/meta-data/", "http://10.9.9.9/", "http://[::1]:9/"]
)
def test_a_redirect_from_an_allowed_site_to_an_internal_address_is_refused(
    unit_a, internal, monkeypatch, to
):
    monkeypatch.setattr(outbound, "ALLOW_LOOPBACK_FOR_TESTS", frozenset({internal.port}))
    monitor = _watch(unit_a, f"{internal.url}/go?to={to}")
    runner.check_monitors([monitor])
    monitor.refresh_from_db()
    assert monitor.last_error.startswith("refused:") and f"redirected to {to}" in monitor.last_error
    assert SECRET not in nothing_kept()


@pytest.mark.django_db
def test_a_redirect_to_another_loopback_port_is_refused_at_that_hop(unit_a, internal, second):
    # Only the first server's port is opened for the test: the hop to the second (which
    # stands for an internal service on this machine) must be refused.
    outbound_ports = frozenset({internal.port})
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(outbound, "ALLOW_LOOPBACK_FOR_TESTS", outbound_ports)
        monitor = _watch(unit_a, f"{internal.url}/go?to={second.url}/")
        runner.check_monitors([monitor])
    monitor.refresh_from_db()
    assert internal.requests == ["GET /go?to=" + second.url + "/"]
    assert second.requests == []
    assert "127.0.0.1 is a loopback address" in monitor.last_error
    assert SECRET not in nothing_kept()


@pytest.mark.django_db
def test_an_allowed_monitor_is_checked_and_an_internal_one_beside_it_is_not(
    unit_a, internal, loopback_allowed
):
    # End to end through the guarded transport: with loopback opened for the test (it
    # stands for an allowed address), the page is fetched and up; in the same run, a
    # monitor of the metadata address is refused without a connection.
    allowed = _watch(unit_a, f"{internal.url}/")
    metadata = _watch(unit_a, "http://169.254.169.254/latest/meta-data/")
    runner.check_monitors([allowed, metadata])
    allowed.refresh_from_db()
    metadata.refresh_from_db()
    assert "GET /" in internal.requests and allowed.last_error == ""
    assert metadata.last_error == "refused: 169.254.169.254 is a link-local address"


def _deliver(channel: Channel):
    message = outbox.enqueue("Máy 10.0.0.5 nhiễm botnet", "chi tiết", [channel], topic="t")
    outbox.send_due()
    return message.deliveries.get()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "config"),
    [
        ("webhook", {"url": "{url}/hook"}),
        ("webhook", {"url": "http://localhost:{port}/hook"}),
        ("telegram", {"bot_token": TOKEN, "chat_id": "-1", "base_url": "{url}"}),
        ("zalo", {"access_token": "t", "user_id": "1", "base_url": "http://[::1]:{port}"}),
        (
            "sms_http",
            {"url_template": "{url}/send?to={{to}}&m={{text}}", "numbers": ["0912345678"]},
        ),
    ],
)
def test_a_channel_to_an_internal_address_sends_nothing(unit_a, internal, kind, config):
    filled = {
        k: v.format(url=internal.url, port=internal.port) if isinstance(v, str) else v
        for k, v in config.items()
    }
    channel = Channel.objects.create(unit=unit_a, kind=kind, name="x", config=filled)
    delivery = _deliver(channel)
    assert internal.requests == []
    assert delivery.status == "dead"
    assert "refused:" in delivery.last_error and "loopback" in delivery.last_error
    assert SECRET not in nothing_kept()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "config",
    [
        {"url": "http://169.254.169.254/latest/meta-data/"},
        {"url": "http://10.30.0.9/"},  # ward B's intranet
    ],
)
def test_a_webhook_to_metadata_or_another_units_intranet_is_refused(unit_a, unit_b, config):
    factories.make_range(unit_b, "10.30.0.0/16")
    channel = Channel.objects.create(unit=unit_a, kind="webhook", name="x", config=config)
    delivery = _deliver(channel)
    assert delivery.status == "dead" and "refused:" in delivery.last_error


@pytest.mark.django_db
def test_a_webhook_redirected_to_an_internal_address_is_refused(
    unit_a, internal, second, monkeypatch
):
    monkeypatch.setattr(outbound, "ALLOW_LOOPBACK_FOR_TESTS", frozenset({internal.port}))
    channel = Channel.objects.create(
        unit=unit_a, kind="webhook", name="x", config={"url": f"{internal.url}/go?to={second.url}/"}
    )
    delivery = _deliver(channel)
    assert second.requests == []
    assert "refused:" in delivery.last_error


@pytest.mark.django_db
def test_a_failed_delivery_records_the_status_not_the_body(unit_a, internal, loopback_allowed):
    # An allowed receiver that answers an error: its body stays out of the record.
    config = {"bot_token": TOKEN, "chat_id": "-1", "base_url": internal.url}
    channel = Channel.objects.create(unit=unit_a, kind="telegram", name="x", config=config)
    internal.RequestHandlerClass = _Refusing
    delivery = _deliver(channel)
    assert "HTTP 400 Bad Request" in delivery.last_error
    assert SECRET not in nothing_kept()


class _Refusing(_Handler):
    def _answer(self) -> None:
        body = f'{{"ok": false, "description": "{SECRET}"}}'.encode()
        self.send_response(400)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = _answer  # noqa: N815


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["{url}/list.txt", "http://localhost:{port}/list.txt"])
def test_a_feed_on_an_internal_address_is_not_pulled(internal, where):
    source = IndicatorSource.objects.create(
        name="x", url=where.format(url=internal.url, port=internal.port)
    )
    with pytest.raises(fetching.FetchError) as raised:
        feeds.pull(source)
    source.refresh_from_db()
    assert raised.value.kind == "refused"
    assert internal.requests == []
    # The page shows the officer why, and which setting would allow it.
    assert "private or local address" in source.last_error
    assert "OUTBOUND_ALLOW" in source.last_error
    assert SECRET not in nothing_kept()


def test_a_feed_is_pulled_only_from_what_the_city_allows(internal, loopback_allowed):
    # The loopback server stands for an allowed publisher; 10.9.9.9 for one not listed.
    result = fetching.fetch(f"{internal.url}/list.txt", outbound=outbound.OutboundPolicy())
    assert result.status == "new" and internal.requests == ["GET /list.txt"]
    with pytest.raises(fetching.FetchError) as raised:
        fetching.fetch("http://10.9.9.9/list.txt", outbound=outbound.OutboundPolicy())
    assert raised.value.kind == "refused" and "OUTBOUND_ALLOW" in str(raised.value)


@pytest.mark.django_db
def test_the_monitor_and_channel_forms_refuse_an_internal_url(operator_a, unit_a):
    from citysoc.notify.forms import ChannelForm
    from citysoc.webwatch.forms import MonitorForm

    monitor = MonitorForm(
        data={"unit": unit_a.pk, "name": "x", "url": "http://169.254.169.254/", **_defaults()},
        user=operator_a,
    )
    assert not monitor.is_valid()
    assert "169.254.169.254 is a link-local address" in " ".join(monitor.errors["url"])
    channel = ChannelForm(
        data={"name": "x", "unit": unit_a.pk, "config_url": "http://localhost:9200/"},
        user=operator_a,
        kind="webhook",
    )
    assert not channel.is_valid()
    assert "cannot be reached from the server" in " ".join(channel.errors["config_url"])


def _defaults() -> dict:
    # The monitor form's other settings with their defaults, as the page sends them.
    fields = {f.name: f for f in Monitor._meta.concrete_fields}
    return {
        name: fields[name].get_default()
        for name in Monitor.SETTINGS
        if name in fields and fields[name].has_default()
    }


@pytest.mark.django_db
def test_the_rdap_lookup_of_a_monitor_is_checked_too(unit_a, internal):
    # Every name resolves to the "internal" server (like curl --resolve): the page and
    # the RDAP server are both refused, and nothing reaches it.
    config = FetchConfig(
        resolve={"*": "127.0.0.1"}, rdap_url=f"http://rdap.example:{internal.port}/rdap/"
    )
    monitor = _watch(unit_a, f"http://portal.phuong-a.example:{internal.port}/")
    runner.check_monitors([monitor], config=config)
    monitor.refresh_from_db()
    assert internal.requests == []
    assert "portal.phuong-a.example resolves to 127.0.0.1" in monitor.last_error
    assert SECRET not in nothing_kept()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["json://127.0.0.1:{port}/hook", "xml://localhost:{port}/"])
def test_an_apprise_url_to_an_internal_address_is_refused_before_apprise_runs(
    unit_a, internal, url
):
    config = {"url": url.format(port=internal.port)}
    channel = Channel.objects.create(unit=unit_a, kind="apprise", name="x", config=config)
    delivery = _deliver(channel)
    assert internal.requests == []
    assert delivery.status == "dead" and "refused:" in delivery.last_error
