from __future__ import annotations

from tests.webwatch.support import sites


def test_it_finds_betting_content_served_only_to_googlebot(web, check):
    result = check(web.url("cloak.phuong-d.example"))
    [finding] = result.findings
    assert (finding.check, finding.severity) == ("cloaking", "critical")
    assert "Top nhà cái uy tín nhất 2025" in finding.evidence["crawler_snippet"]
    assert "Cổng thông tin điện tử Phường Bắc Sơn" in finding.evidence["browser_snippet"]
    assert "vao-fb88.example" in finding.evidence["new_domains"]


def test_the_crawler_request_carries_googlebot_and_a_google_referer(web, check):
    check(web.url("cloak.phuong-d.example"), crawl_depth=0)
    crawler = [h for h in web.server.hits if "Googlebot" in h.headers.get("user-agent", "")]
    assert crawler[-1].headers["referer"] == "https://www.google.com/"


def test_it_can_be_switched_off(web, check):
    result = check(web.url("cloak.phuong-d.example"), skip_checks=frozenset({"cloaking"}))
    assert result.findings == []


def test_the_same_page_for_both_is_no_finding(web, check):
    assert check(web.url(sites.CLEAN_HOST)).findings == []
