"""The test sites: clean ward portals, defaced, injected, cloaking, slow, flaky, TLS, RDAP."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from citysoc.webwatch.fetch import FetchConfig
from tests.webwatch.support.certs import CertMaker
from tests.webwatch.support.server import Reply, WebServer, server_context

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "webwatch"
CLEAN_HOST = "www.phuong-a.example"
# Path on the clean site -> fixture: five pages of different shapes (false-positive set).
CLEAN_PAGES = {
    "/": "clean/home.html",
    "/tin-tuc/triet-pha-duong-day-ca-do-bong-da.html": "clean/news_article.html",
    "/dich-vu-cong.html": "clean/services.html",
    "/en/": "clean/english.html",
    "/lien-he.html": "clean/contact.html",
}
SPAM_HOST = "spam.phuong-c.example"
TLS_HOSTS = (
    "secure.phuong-a.example",
    "soon.phuong-a.example",
    "expired.phuong-a.example",
    "wrong.phuong-a.example",
)
RDAP_HOST = "rdap.registry.example"
# Registrable domain -> days from now to its expiry in the local RDAP server.
RDAP_DOMAINS = {"phuong-g.example": 10, "het-han.example": -3} | {
    f"phuong-{ward}.example": 400 for ward in "abcdef"
}


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@dataclass
class Toggle:
    """A site that drops the next `down_for` requests, then answers again."""

    down_for: int = 0

    def __call__(self, request) -> Reply:
        if self.down_for > 0:
            self.down_for -= 1
            return Reply(drop=True)
        return Reply(200, fixture("clean/home.html"), {"Content-Type": "text/html"})


@dataclass
class LocalWeb:
    server: WebServer
    config: FetchConfig
    flaky: Toggle
    tls: bool

    def url(self, host: str, path: str = "/", *, tls: bool = False) -> str:
        return self.server.url(host, path, tls=tls)


def _html(name: str) -> Reply:
    return Reply(200, fixture(name), {"Content-Type": "text/html; charset=utf-8"})


def _cloaker(request) -> Reply:
    if "googlebot" in request.headers.get("user-agent", "").lower():
        return _html("cloaking/googlebot.html")
    return _html("clean/home.html")


def _rdap(request) -> Reply:
    domain = request.path.rsplit("/", 1)[-1]
    if domain not in RDAP_DOMAINS:
        return Reply(404, b'{"errorCode": 404}', {"Content-Type": "application/rdap+json"})
    expires = datetime.now(tz=UTC) + timedelta(days=RDAP_DOMAINS[domain], hours=12)
    body = fixture("domain_expiry/rdap_domain.json").decode()
    body = body.replace("{domain}", domain).replace(
        "{expires}", expires.strftime("%Y-%m-%dT%H:%M:%SZ")
    )
    json.loads(body)  # the fixture stays valid JSON
    return Reply(200, body.encode(), {"Content-Type": "application/rdap+json"})


def _certificates(folder: Path):
    try:
        maker = CertMaker(folder)
    except Exception:  # noqa: BLE001 - no openssl: the TLS tests skip
        return None, {}
    certs = {
        "secure.phuong-a.example": maker.make("secure", names=["secure.phuong-a.example"]),
        "soon.phuong-a.example": maker.make(
            "soon", names=["soon.phuong-a.example"], days=(-30, 10)
        ),
        "expired.phuong-a.example": maker.make(
            "expired", names=["expired.phuong-a.example"], days=(-400, -30), self_signed=True
        ),
        "wrong.phuong-a.example": maker.make("wrong", names=["other.example"]),
    }
    return maker.ca, {host: server_context(c.cert, c.key) for host, c in certs.items()}


def _add_sites(server: WebServer, flaky: Toggle) -> None:
    for path, name in CLEAN_PAGES.items():
        server.page(
            CLEAN_HOST,
            path,
            fixture(name),
            content_type="text/html"
            if name.endswith("contact.html")
            else "text/html; charset=utf-8",
        )
    server.page("defaced.phuong-b.example", "/", fixture("defacement/defaced.html"))
    server.page("replaced.phuong-b.example", "/", fixture("defacement/replaced.html"))
    for path, name in {
        "/": "hidden_links",
        "/meta": "meta_refresh",
        "/script": "script_redirect",
        "/hoi-dap": "upload_spam",
        "/burst": "burst",
    }.items():
        server.page(SPAM_HOST, path, fixture(f"injected_links/{name}.html"))
    server.page(
        SPAM_HOST,
        "/uploads/hoi-dap/2025/nha-cai-uy-tin-fb88-link-vao-moi-nhat.html",
        fixture("cloaking/googlebot.html"),
    )
    server.route("cloak.phuong-d.example", "/", _cloaker)
    server.route(
        "slow.phuong-e.example",
        "/",
        lambda r: Reply(200, fixture("clean/home.html"), {"Content-Type": "text/html"}, delay=0.6),
    )
    server.route("flaky.phuong-e.example", "/", flaky)
    server.page("down.phuong-e.example", "/", fixture("availability/maintenance.html"), status=503)
    server.page("gone.phuong-e.example", "/", b"<html><body>Not here</body></html>", status=404)
    server.redirect("moved.phuong-e.example", "/", server.url("vao-fb88.example", "/"))
    server.redirect("plain.phuong-a.example", "/", server.url(CLEAN_HOST, "/"), status=301)
    server.page("vao-fb88.example", "/", fixture("cloaking/googlebot.html"))
    server.page("scam.phuong-f.example", "/", fixture("scam_links/scam_page.html"))
    for host in TLS_HOSTS:
        server.page(host, "/", fixture("clean/home.html"))
    server.route(RDAP_HOST, "*", _rdap)


@contextlib.contextmanager
def build(cert_folder: Path) -> Iterator[LocalWeb]:
    ca, contexts = _certificates(cert_folder)
    server = WebServer(sni=contexts or None)
    flaky = Toggle()
    _add_sites(server, flaky)
    with server:
        config = FetchConfig(
            resolve={"*": "127.0.0.1"},
            retry_delay_s=0.05,
            ca_file=str(ca) if ca else None,
            rdap_url=server.url(RDAP_HOST, "/rdap/"),
        )
        yield LocalWeb(server, config, flaky, tls=bool(contexts))
