from __future__ import annotations

from tests.webwatch.support import sites

TECHNIQUES = {
    "display:none",
    "visibility:hidden",
    "font-size:0",
    "height:0",
    "position off-screen (top:-5000px)",
    "opacity:0",
    "text colour equals background",
    "hidden attribute",
    "aria-hidden",
    "text-indent off-screen",
    "inside <noscript>",
    "tiny <marquee>",
    "position off-screen (left:-9999px) (page CSS .lnk-x9)",
}


def injected(result):
    return [f for f in result.findings if f.check == "injected_links"]


def test_it_finds_each_hiding_technique_with_snippet_and_link(web, check):
    found = injected(check(web.url(sites.SPAM_HOST, "/")))
    assert {f.evidence["technique"] for f in found} == TECHNIQUES
    assert {f.severity for f in found} == {"critical"}
    by = {f.evidence["technique"]: f for f in found}
    assert by["display:none"].evidence["links"][0]["url"] == "https://vao-fb88.example/"
    assert by["display:none"].evidence["snippet"].startswith('<div style="display:none">')


def test_it_finds_a_meta_refresh_to_a_betting_domain(web, check):
    [finding] = injected(check(web.url(sites.SPAM_HOST, "/meta")))
    assert finding.severity == "critical" and finding.evidence["technique"] == "meta refresh"
    assert finding.evidence["link"] == "https://vao-fb88.example/dang-ky"


def test_it_finds_script_redirects_and_writes_also_inside_atob(web, check):
    found = injected(check(web.url(sites.SPAM_HOST, "/script")))
    assert sorted((f.evidence["technique"], f.severity) for f in found) == [
        ("document.write", "critical"),
        ("script redirect", "critical"),
        ("script redirect", "critical"),
    ]
    links = {f.evidence.get("link") for f in found}
    assert {"https://jun88-vn.example/?ref=gov", "https://shbet-vn.example/"} <= links


def test_it_finds_uploaded_spam_files_and_scans_them_in_the_crawl(web, check):
    result = check(web.url(sites.SPAM_HOST, "/hoi-dap"))
    found = injected(result)
    [upload] = [f for f in found if f.evidence["technique"] == "uploaded spam file"]
    assert upload.severity == "critical" and upload.evidence["on_this_site"]
    assert len(upload.evidence["links"]) == 2
    # The uploaded file itself was crawled, and its own betting links name that page.
    [inside] = [f for f in found if f.evidence["technique"] == "visible gambling links"]
    assert inside.page.endswith("nha-cai-uy-tin-fb88-link-vao-moi-nhat.html")
    assert inside.page in inside.title


def test_it_finds_a_burst_of_outbound_gambling_links(web, check):
    [finding] = injected(check(web.url(sites.SPAM_HOST, "/burst")))
    assert finding.evidence["technique"] == "outbound link burst"
    assert finding.severity == "high" and len(finding.evidence["domains"]) == 8


def test_without_crawl_only_the_page_itself_is_scanned(web, check):
    result = check(web.url(sites.SPAM_HOST, "/hoi-dap"), crawl_depth=0)
    assert result.crawled == []
    assert {f.evidence["technique"] for f in injected(result)} == {"uploaded spam file"}
