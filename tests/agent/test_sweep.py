"""One sweep over a temporary tree: limits, resuming, the printed summary, no contents."""

import json

import pytest
from citysoc_agent import cli
from citysoc_agent.state import State
from citysoc_agent.sweep import Sweep, short

from tests.agent.support import EICAR, EICAR_RULE, item

pytest.importorskip("yara_x")


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "tree"
    (root / "a").mkdir(parents=True)
    (root / "a" / "eicar.com").write_bytes(EICAR)
    for i in range(30):
        (root / "a" / f"note{i:02}.txt").write_text(f"ordinary file {i}\n")
    (root / "b.bin").write_bytes(b"x" * 2048)
    return root


def _job(**extra):
    return {
        "yara": [{"name": "builtin", "version": 1, "source": EICAR_RULE}],
        "checks": ["yara", "hashes"],
        "hashes": [{"hash": item("x", b"x" * 2048).sha256, "description": "dropper"}],
        **extra,
    }


def test_it_finds_what_is_planted_and_never_carries_file_contents(tree, tmp_path):
    result = Sweep(_job(), State(tmp_path / "state"), paths=[str(tree)]).run()
    assert short(result)["verdict"] == "infected"
    assert sorted((h["check"], h["path"].rsplit("/", 1)[1]) for h in result["hits"]) == [
        ("hashes", "b.bin"),
        ("yara", "eicar.com"),
    ]
    assert result["stats"]["files"] == 32
    assert b"EICAR-STANDARD" not in json.dumps(result).encode()


def test_it_stops_at_max_files_and_files_over_the_size_limit_are_skipped(tree, tmp_path):
    result = Sweep(
        _job(max_files=5, max_file_bytes=1024), State(tmp_path / "s"), paths=[str(tree)]
    ).run()
    assert result["stats"]["files"] == 5
    assert result["stats"]["stopped"] == "max_files"
    big = Sweep(_job(max_file_bytes=1024), State(tmp_path / "t"), paths=[str(tree)]).run()
    assert big["stats"]["skipped"] == 1  # b.bin, 2 KiB
    assert [h["check"] for h in big["hits"]] == ["yara"]


def test_a_killed_sweep_resumes_from_its_checkpoint(tree, tmp_path, monkeypatch):
    state = State(tmp_path / "state")
    monkeypatch.setattr("citysoc_agent.sweep.CHECKPOINT_EVERY", 10)
    first = Sweep(_job(id=7), state, paths=[str(tree)])
    first._checkpoint(10)  # as if killed after ten files, the EICAR file among them
    first.findings = []
    state.write("checkpoint", {**state.read("checkpoint"), "findings": [
        {"check": "yara", "kind": "file", "score": 100, "title": "EICAR", "path": "eicar.com"}
    ]})  # fmt: skip
    again = Sweep(_job(id=7), state, paths=[str(tree)]).run()
    assert again["stats"]["resumed_from"] == 10
    assert again["stats"]["files"] == 22
    assert [h["title"] for h in again["hits"]][0] == "EICAR"
    assert state.read("checkpoint") == {}


def test_sweep_once_with_a_bundle_prints_the_summary_and_writes_a_signed_file(
    tree, tmp_path, capsys
):
    bundle = {"identity": {"agent": "ag_x", "secret": "s"}, "jobs": [_job()]}
    out = tmp_path / "result.json"
    code = cli.main(
        ["--state", str(tmp_path / "st"), "sweep", "--once", "--paths", str(tree), "--json",
         "--out", str(out)],
        bundle=bundle,
    )  # fmt: skip
    summary = json.loads(capsys.readouterr().out)
    assert code == 1
    assert sorted(summary) == ["connections", "files", "hits", "verdict"]
    assert summary["verdict"] == "infected" and summary["files"] == 32
    assert sorted(json.loads(out.read_text())) == ["agent", "body", "signature"]
