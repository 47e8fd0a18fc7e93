from __future__ import annotations

from tests.webwatch.support import sites


def titles(result, check="availability"):
    return [(f.severity, f.title) for f in result.findings if f.check == check]


def test_it_reports_a_site_that_answers_503_as_down_after_retrying(web, check):
    result = check(web.url("down.phuong-e.example"), retries=2)
    assert not result.up
    [finding] = result.findings
    assert (finding.check, finding.severity, finding.evidence["attempts"]) == (
        "availability",
        "high",
        3,
    )
    assert "HTTP 503" in finding.title
    assert result.skipped["injected_links"] == "the site is down"


def test_one_dropped_answer_is_retried_and_the_site_is_up(web, check):
    web.flaky.down_for = 1
    assert check(web.url("flaky.phuong-e.example"), retries=1).findings == []


def test_a_site_down_longer_than_its_retries_is_down_then_comes_back(web, check):
    web.flaky.down_for = 2
    result = check(web.url("flaky.phuong-e.example"), retries=1)
    assert not result.up and "closed the connection" in result.error
    assert titles(result)[0][0] == "high"
    assert check(web.url("flaky.phuong-e.example"), retries=1).up


def test_it_reports_an_unexpected_status(web, check):
    assert titles(check(web.url("gone.phuong-e.example"))) == [
        ("medium", "Answered HTTP 404, expected 200")
    ]


def test_it_reports_a_slow_site(web, check):
    result = check(web.url("slow.phuong-e.example"), max_response_ms=200)
    [(severity, title)] = titles(result)
    assert severity == "low" and title.startswith("Slow:")


def test_it_reports_a_redirect_to_a_betting_domain_as_critical(web, check):
    result = check(web.url("moved.phuong-e.example"))
    [finding] = [f for f in result.findings if f.check == "availability"]
    assert finding.severity == "critical"
    assert finding.title == "Redirects to another domain: vao-fb88.example"
    assert finding.evidence["chain"][0].startswith("302 → http://vao-fb88.example")


def test_a_redirect_within_the_same_domain_is_fine(web, check):
    result = check(web.url("plain.phuong-a.example"))
    assert result.findings == [] and result.redirects[0][0] == 301


def test_keywords_must_and_must_not_appear(web, check):
    url = web.url(sites.CLEAN_HOST)
    assert check(url, must_contain="Phường Bắc Sơn").findings == []
    assert titles(check(url, must_contain="Phường Nam Sơn")) == [
        ("medium", "Expected text missing: “Phường Nam Sơn”")
    ]
    result = check(url, must_not_contain="lừa đảo")
    assert titles(result)[0][0] == "high" and "lừa đảo" in result.findings[0].evidence["snippet"]
