from __future__ import annotations

import dataclasses

from citysoc.webwatch.checks import Target, check_url


def expiry(result):
    return [(f.severity, f.title) for f in result.findings if f.check == "domain_expiry"]


def test_a_domain_far_from_expiry_gives_its_date_and_no_finding(web, check):
    result = check(web.url("www.phuong-a.example"))
    assert expiry(result) == [] and result.domain_expires_at


def test_it_warns_before_the_domain_expires(web):
    web.server.page("www.phuong-g.example", "/", b"<html><body>ok</body></html>")
    result = check_url(Target(url=web.url("www.phuong-g.example")), config=web.config)
    [(severity, title)] = expiry(result)
    assert severity == "medium" and "phuong-g.example expires in" in title


def test_an_expired_domain_is_critical(web, check):
    web.server.page("het-han.example", "/", b"<html><body>ok</body></html>")
    [(severity, _)] = expiry(check(web.url("het-han.example")))
    assert severity == "critical"


def test_without_rdap_it_is_skipped_quietly(web):
    config = dataclasses.replace(web.config, rdap_url=None)
    result = check_url(Target(url=web.url("www.phuong-a.example")), config=config)
    assert expiry(result) == [] and result.skipped["domain_expiry"] == "no RDAP server configured"


def test_an_unreachable_rdap_server_is_an_info_note(web):
    config = dataclasses.replace(web.config, rdap_url="http://127.0.0.1:9/rdap/")
    result = check_url(Target(url=web.url("www.phuong-a.example")), config=config)
    [(severity, title)] = expiry(result)
    assert severity == "info" and "RDAP server unreachable" in title
