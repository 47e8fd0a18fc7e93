"""`citysoc webwatch check URL`: findings printed, exit codes, no database needed."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from citysoc.webwatch.cli import webwatch
from tests.webwatch.support import sites


def no_django():
    raise AssertionError("`webwatch check` must not set up Django")


def run(capsys, *argv):
    code = webwatch(["check", *argv, "--resolve", "*=127.0.0.1"], no_django)
    return code, capsys.readouterr()


def test_a_clean_page_exits_0_and_says_so(web, capsys):
    code, out = run(capsys, web.url(sites.CLEAN_HOST), "--keyword", "Bắc Sơn")
    assert code == 0, out.out
    assert "No findings." in out.out and "(not run: tls — not an https:// URL)" in out.out


def test_findings_exit_1_with_the_json_shape(web, capsys):
    code, out = run(capsys, web.url(sites.SPAM_HOST, "/meta"), "--json")
    data = json.loads(out.out)
    assert code == 1
    assert {"url", "up", "status", "response_ms", "findings"} <= set(data)
    assert data["up"] and data["status"] == 200
    [finding] = data["findings"]
    assert {"check", "severity", "evidence", "title"} <= set(finding)
    assert finding["evidence"]["link"] == "https://vao-fb88.example/dang-ky"


def test_no_cloaking_skips_the_crawler_request(web, capsys):
    code, out = run(capsys, web.url("cloak.phuong-d.example"), "--no-cloaking", "--json")
    assert (code, json.loads(out.out)["findings"]) == (0, [])
    code, _ = run(capsys, web.url("cloak.phuong-d.example"), "--crawler-compare")
    assert code == 1


def test_a_blocklist_file_feeds_scam_links(web, capsys, fixture_path):
    blocklist = fixture_path("webwatch/scam_links/blocklist.txt")
    code, out = run(capsys, web.url("scam.phuong-f.example"), "--blocklist", str(blocklist))
    assert code == 1 and "Links to 2 blocklisted domain(s)" in out.out


def test_depth_0_scans_only_the_page(web, capsys):
    code, out = run(capsys, web.url(sites.SPAM_HOST, "/hoi-dap"), "--depth", "0", "--json")
    assert [f["evidence"]["technique"] for f in json.loads(out.out)["findings"]] == [
        "uploaded spam file"
    ]


def test_a_bad_blocklist_line_is_named(web, capsys, tmp_path):
    bad = tmp_path / "list.txt"
    bad.write_text("ok.example\nnot a domain\n")
    code, out = run(capsys, web.url(sites.CLEAN_HOST), "--blocklist", str(bad))
    assert code == 2 and "list.txt line 2" in out.err


@pytest.mark.parametrize("url", ["portal.example", "ftp://portal.example/", "http://"])
def test_a_bad_url_exits_2_with_an_example(capsys, url):
    code = webwatch(["check", url], no_django)
    assert code == 2 and "https://portal.example.gov.vn/" in capsys.readouterr().err


def test_the_installed_command_runs_it(web):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "citysoc.cli",
            "webwatch",
            "check",
            web.url("defaced.phuong-b.example"),
            "--resolve",
            "*=127.0.0.1",
            "--allow-internal",
            "--json",
            "--no-cloaking",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["findings"][0]["check"] == "defacement"
