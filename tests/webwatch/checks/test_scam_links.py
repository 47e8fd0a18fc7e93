from __future__ import annotations

from tests.webwatch.support import sites

BLOCKLIST = frozenset(
    line
    for line in sites.fixture("scam_links/blocklist.txt").decode().split()
    if not line.startswith("#") and "." in line
)


def test_it_lists_links_to_blocklisted_domains_and_their_parents(web, check):
    result = check(web.url("scam.phuong-f.example"), blocklist=BLOCKLIST)
    [finding] = [f for f in result.findings if f.check == "scam_links"]
    assert finding.severity == "high"
    assert [(link["url"], link["listed_as"]) for link in finding.evidence["links"]] == [
        ("https://hotro-tet.dichvucong-gov.example/dang-ky", "dichvucong-gov.example"),
        ("https://vietcombank-xacthuc.example/login", "vietcombank-xacthuc.example"),
        ("https://thu-thap.vietcombank-xacthuc.example/post", "vietcombank-xacthuc.example"),
    ]
    assert [f.check for f in result.findings] == ["scam_links"]


def test_a_hidden_blocklisted_link_is_critical(web, check):
    result = check(web.url(sites.SPAM_HOST, "/"), blocklist=frozenset({"kubet-vn.example"}))
    [finding] = [f for f in result.findings if f.check == "scam_links"]
    assert finding.severity == "critical" and finding.evidence["hidden"]


def test_without_a_blocklist_it_is_skipped(web, check):
    result = check(web.url("scam.phuong-f.example"))
    assert result.findings == [] and result.skipped["scam_links"] == "no blocklist configured"
