from __future__ import annotations

from tests.webwatch.support import sites


def deface(result):
    return [f for f in result.findings if f.check == "defacement"]


def baseline(web, check):
    return check(web.url(sites.CLEAN_HOST, "/")).fingerprint


def test_a_defacer_signature_is_critical_without_any_baseline(web, check):
    result = check(web.url("defaced.phuong-b.example"))
    [finding] = deface(result)
    assert finding.severity == "critical"
    assert "hacked by" in finding.evidence["markers"]
    assert "zone-h.org" in finding.evidence["markers"]


def test_a_replaced_page_differs_from_the_baseline_with_a_diff(web, check):
    result = check(web.url("replaced.phuong-b.example"), baseline=baseline(web, check))
    [finding] = deface(result)
    assert finding.severity == "high" and finding.evidence["change"] >= 0.8
    assert finding.evidence["added"][0] == "Website tạm ngừng hoạt động."
    assert "-Tin nổi bật" in finding.evidence["diff"]
    assert finding.evidence["title_before"] == "Cổng thông tin điện tử Phường Bắc Sơn"


def test_the_next_days_news_is_not_a_defacement(web, check):
    # The home page with two headlines replaced, as a portal looks the next morning.
    page = sites.fixture("clean/home.html").decode()
    page = page.replace(
        "Lịch tiêm chủng mở rộng tháng 01/2025", "Hội nghị tổng kết công tác dân vận"
    )
    page = page.replace("Trạm y tế phường thông báo", "Ban dân vận phường tổng kết")
    web.server.page("nextday.phuong-a.example", "/", page)
    result = check(web.url("nextday.phuong-a.example"), baseline=baseline(web, check))
    assert deface(result) == []


def test_the_fingerprint_is_the_baseline_format(web, check):
    print_ = baseline(web, check)
    assert print_["version"] == 1 and print_["title"].startswith("Cổng thông tin")
    assert print_["counts"]["form"] == 0 and print_["counts"]["a"] > 30
    assert "Tin nổi bật" in print_["lines"]


def test_an_old_baseline_version_asks_to_accept_again(web, check):
    result = check(web.url(sites.CLEAN_HOST), baseline={"version": 0})
    assert deface(result) == [] and "accept the page again" in result.skipped["defacement"]
