"""`python -m citysoc.engine match …`: flags, JSON summary, outputs and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pyarrow.parquet as pq
import pytest

from citysoc.engine.cli import main

KEYS = ["records", "rejected", "matches", "hits", "hosts", "indicators", "seconds"]


@pytest.fixture
def lists(tmp_path, monkeypatch):
    monkeypatch.setenv("CITYSOC_ENGINE_CACHE", str(tmp_path / "cache"))
    one = tmp_path / "botnet.txt"
    one.write_text("# monthly list\n198.51.100.0/24 ; SBL1\n203.0.113.9\nnot an indicator!\n")
    two = tmp_path / "domains.csv"
    two.write_text("indicator,family,c2\nevil.example,Mirai,true\n")
    return [str(one), str(two)]


def _run(capsys, *argv):
    code = main(["match", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_summary_has_exactly_the_documented_keys(capsys, lists, engine_fixture):
    log = str(engine_fixture("suricata_eve/eve.json"))
    code, out, err = _run(capsys, "--indicators", lists[0], "--indicators", lists[1], "--json", log)
    assert code == 0
    summary = json.loads(out)
    assert list(summary) == KEYS
    assert summary["records"] == 6 and summary["rejected"] == 1
    # records 1 and 2 hit evil.example; record 3 hits 203.0.113.9
    assert (summary["matches"], summary["hits"], summary["indicators"]) == (3, 3, 2)
    assert summary["records"] >= summary["matches"]
    assert "1 indicator entries rejected" in err and "botnet.txt:4" in err


def test_fail_on_match_exits_1_and_writes_outputs(capsys, lists, engine_fixture, tmp_path):
    log = str(engine_fixture("csv/firewall_export.csv"))
    for suffix in (".csv", ".jsonl", ".parquet"):
        out_path = tmp_path / f"hits{suffix}"
        code, _, _ = _run(
            capsys,
            "--indicators",
            lists[0],
            "--indicators",
            lists[1],
            "--columns",
            "src=src_ip,dst=dst_ip,time=time,domain=query",
            "--out",
            str(out_path),
            "--fail-on-match",
            log,
        )
        assert code == 1
        assert out_path.stat().st_size > 0
    rows = pq.read_table(tmp_path / "hits.parquet").to_pylist()
    mirai = [r for r in rows if r["family"] == "Mirai"]
    assert mirai and mirai[0]["internal_host"] == "10.0.0.6" and mirai[0]["c2"] == "true"
    jsonl = [json.loads(x) for x in (tmp_path / "hits.jsonl").read_text().splitlines()]
    assert len(jsonl) == len(rows)


def test_no_match_exits_0_even_with_fail_on_match(capsys, lists, engine_fixture):
    code, out, _ = _run(
        capsys,
        "--indicators",
        lists[0],
        "--fail-on-match",
        "--json",
        str(engine_fixture("bind/bind9-logs.log")),
    )
    assert code == 0 and json.loads(out)["matches"] == 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--indicators", "/nope/list.txt", "x.log"], "indicator file not found"),
        (["--indicators", "{list}", "/nope/x.log"], "log file not found"),
        (["--indicators", "{list}", "--columns", "source", "{log}"], "is not ROLE=COLUMN"),
        (["--indicators", "{list}", "--out", "x.xlsx", "{log}"], "must end in .csv"),
        (["--indicators", "{list}", "--format", "nope", "{log}"], "invalid choice"),
        (["--indicators", "{empty}", "{log}"], "no usable indicator"),
        (
            ["--indicators", "{list}", "--format", "csv", "--columns", "src=nope", "{log}"],
            "not in the CSV header",
        ),
        (["--indicators", "{list}", "{unknown}"], "cannot tell the log format"),
    ],
)
def test_bad_input_exits_2_with_an_explanation(
    capsys, lists, engine_fixture, tmp_path, argv, message
):
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n")
    unknown = tmp_path / "unknown.log"
    unknown.write_text("hello world\n")
    values = {
        "list": lists[0],
        "log": str(engine_fixture("csv/firewall_export.csv")),
        "empty": str(empty),
        "unknown": str(unknown),
    }
    code, out, err = _run(capsys, *[a.format(**values) for a in argv])
    assert code == 2
    assert message in err
    assert "Traceback" not in err and out == ""


def test_verb_is_required(capsys):
    assert main([]) == 2
    assert main(["frobnicate"]) == 2


def test_human_output_lists_hosts(capsys, lists, engine_fixture):
    code, out, _ = _run(
        capsys,
        "--indicators",
        lists[0],
        "--indicators",
        lists[1],
        str(engine_fixture("squid/access.log")),
    )
    assert code == 0
    assert "records read" in out and "10.0.0.5" in out


def test_python_m_runs_without_django_settings(lists, engine_fixture):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = os.pathsep.join(sys.path)
    proc = subprocess.run(  # noqa: S603 - our own interpreter and module
        [
            sys.executable,
            "-m",
            "citysoc.engine",
            "match",
            "--indicators",
            lists[0],
            "--json",
            str(engine_fixture("iptables/crlf.log")),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["matches"] == 2


def test_the_compiled_set_is_cached(capsys, lists, engine_fixture, tmp_path):
    log = str(engine_fixture("iptables/crlf.log"))
    _run(capsys, "--indicators", lists[0], "--json", log)
    cached = list((tmp_path / "cache").glob("*.set"))
    assert len(cached) == 1
    code, out, _ = _run(capsys, "--indicators", lists[0], "--json", log)
    assert code == 0 and json.loads(out)["matches"] == 2
