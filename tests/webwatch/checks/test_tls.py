from __future__ import annotations

import pytest


@pytest.fixture
def tls_web(web):
    if not web.tls:
        pytest.skip("no test certificates (openssl missing)")
    return web


def tls_findings(check, web, host, **fields):
    result = check(web.url(host, tls=True), **fields)
    return result, [f for f in result.findings if f.check == "tls"]


def test_a_valid_certificate_gives_no_finding_and_its_expiry(tls_web, check):
    result, found = tls_findings(check, tls_web, "secure.phuong-a.example")
    assert found == [] and result.tls_expires_at


def test_it_warns_before_expiry(tls_web, check):
    _, [finding] = tls_findings(check, tls_web, "soon.phuong-a.example")
    assert finding.severity == "medium" and finding.title.startswith("Certificate expires in")
    _, found = tls_findings(check, tls_web, "soon.phuong-a.example", tls_warn_days=5)
    assert found == []


def test_it_says_an_expired_self_signed_certificate_is_both(tls_web, check):
    result, [finding] = tls_findings(check, tls_web, "expired.phuong-a.example")
    assert finding.severity == "high"
    assert set(finding.evidence["problems"]) == {"self-signed", "expired"}
    assert finding.evidence["subject"] == "commonName=expired.phuong-a.example"
    assert result.up  # the content checks still saw the page


def test_it_reports_a_host_name_mismatch(tls_web, check):
    _, [finding] = tls_findings(check, tls_web, "wrong.phuong-a.example")
    assert finding.evidence["problems"] == ["issued for another host name"]
    assert finding.evidence["names"] == ["other.example"]


def test_http_urls_have_no_tls_check(web, check):
    assert check(web.url("www.phuong-a.example")).skipped["tls"] == "not an https:// URL"
