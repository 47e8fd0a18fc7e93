"""Scam lists imported from files, the checker's page and API, the counts kept for trends."""

from __future__ import annotations

import json

import pytest

from citysoc import cli
from citysoc.awareness import scamlists
from citysoc.awareness.models import ScamCheckCount, ScamEntry

pytestmark = pytest.mark.django_db


def test_a_csv_list_keeps_good_rows_and_rejects_bad_ones_with_their_line(fixture_path):
    data = (fixture_path("awareness") / "scams.csv").read_bytes()
    result = scamlists.import_list(data, "scams.csv", "Công an tỉnh")
    assert result.kept == 4
    assert [line for line, _ in result.rejected] == [6, 7]
    assert ScamEntry.objects.filter(kind="phone", value="0987000111").exists()


def test_reimporting_a_list_replaces_it(capsys, tmp_path):
    path = tmp_path / "list.txt"
    path.write_text("# chongluadao\n*.lua-dao.example\nhttps://x.example/a\n")
    assert cli.main(["awareness", "import-scams", str(path), "--list", "cld", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["kept"] == 2
    path.write_text("lua-dao.example\n")
    cli.main(["awareness", "import-scams", str(path), "--list", "cld"])
    assert list(ScamEntry.objects.values_list("value", flat=True)) == ["lua-dao.example"]


def test_listed_values_are_dangerous_including_a_subdomain_and_a_number(fixture_path):
    data = (fixture_path("awareness") / "scams.csv").read_bytes()
    scamlists.import_list(data, "scams.csv", "Công an tỉnh")
    assert scamlists.check("https://app.vay-nhanh-tet.example/dang-ky").verdict == "dangerous"
    assert scamlists.check("+84 987 000 111").verdict == "dangerous"
    assert scamlists.check("Đơn hàng của bạn đang chờ thanh toán phí 15k").verdict == "dangerous"


def test_an_intel_list_domain_is_dangerous():
    from citysoc.intel import importing

    source = importing.source_named("Danh sách C2")
    version, _ = importing.receive(source, b"c2-tet.example\n", "c2.txt")
    importing.process(version)
    result = scamlists.check("c2-tet.example")
    assert result.verdict == "dangerous", result.reasons


def test_the_api_answers_a_verdict_and_reasons(client, officer_a):
    client.force_login(officer_a)
    answer = client.get("/api/scam-check/", {"q": "vietcombank-xacminh.com"}).json()
    assert answer["verdict"] == "dangerous" and answer["reasons"]
    assert client.get("/api/scam-check/").status_code == 400


def test_the_api_needs_a_login(client):
    assert client.get("/api/scam-check/", {"q": "example.com"}).status_code in (401, 403)


def test_every_check_is_counted_by_what_was_asked(client, officer_a):
    client.force_login(officer_a)
    for _ in range(3):
        client.get("/awareness/scam-check/", {"q": "bit.ly/abc"})
    row = ScamCheckCount.objects.get()
    assert (row.value, row.count, row.verdict, row.public) == ("bit.ly/abc", 3, "suspicious", False)


def test_the_public_page_is_off_unless_the_setting_is_on(client, settings):
    assert client.get("/awareness/public/scam-check/").status_code == 404
    settings.AWARENESS_PUBLIC_SCAM_CHECK = True
    page = client.get("/awareness/public/scam-check/", {"q": "fb88.com"})
    assert page.status_code == 200 and 'data-verdict="dangerous"' in page.content.decode()
    row = ScamCheckCount.objects.get()
    assert row.public and {f.name for f in ScamCheckCount._meta.fields} == {
        "id",
        "day",
        "kind",
        "value",
        "verdict",
        "public",
        "count",
    }  # nothing about who asked


def test_the_public_page_never_fetches_what_it_is_given(client, settings, monkeypatch):
    import socket

    settings.AWARENESS_PUBLIC_SCAM_CHECK = True

    def refuse(*args, **kwargs):
        raise AssertionError("the scam checker tried to reach the network")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    page = client.get("/awareness/public/scam-check/", {"q": "https://bit.ly/3xYz"})
    assert page.status_code == 200
