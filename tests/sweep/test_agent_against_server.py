"""The agent against a live server on 127.0.0.1: enrol, sweep a planted tree, clean, verify.

The tree holds the EICAR test file, a file matching the sample YARA rules and a file whose
hash is listed; this process holds a connection to an address the botnet list calls a C2.
"""

from __future__ import annotations

import json
import socket

import pytest
from citysoc_agent import cli as agent_cli

from citysoc.intel import cleanup
from citysoc.intel.models import CleanupTask
from citysoc.sweep import enrolment, jobs
from citysoc.sweep.models import Agent, Result
from tests import factories
from tests.sweep import support

pytest.importorskip("yara_x", reason="yara-x is not installed (pip install yara-x)")
pytestmark = pytest.mark.django_db(transaction=True)


def _agent(tmp_path, capsys, *args: str) -> tuple[int, str]:
    code = agent_cli.main(["--state", str(tmp_path / "agent-state"), *args])
    return code, capsys.readouterr().out


def test_a_sweep_maps_to_the_host_and_its_botnet_task_and_a_clean_resweep_verifies_it(
    live_server, unit_a, officer_a, tmp_path, capsys
):
    host = factories.make_host(unit_a, hostname=socket.gethostname(), ipv4="192.0.2.10")
    version = support.botnet_list()
    task = support.botnet_task(unit_a, host, version)
    support.rule_sets()
    token = enrolment.create_token(unit_a).secret
    tree = support.plant(tmp_path / "tree")

    code, out = _agent(tmp_path, capsys, "enroll", live_server.url, token, "--no-software")
    assert code == 0 and unit_a.code in out
    agent = Agent.objects.get()
    assert (agent.unit, agent.host) == (unit_a, host)
    campaign = jobs.start_campaign(unit_a, name="Tết 2024")

    with support.connection_to_c2() as port:
        code, out = _agent(tmp_path, capsys, "sweep", "--once", "--paths", str(tree), "--json")
    summary = json.loads(out)
    assert code == 1 and summary["verdict"] == "infected"
    found = {(h["check"], h.get("rule") or h.get("remote")) for h in summary["hits"]}
    assert {
        ("yara", "citysoc_builtin:EICAR_Test_File"),
        ("yara", "defectdojo_sample:Suspicious_Reverse_Shell_Command"),
        ("connections", f"{support.C2}:{port}"),
    } <= found
    assert any(h["check"] == "hashes" and h["path"].endswith("listed.bin") for h in summary["hits"])

    result = Result.objects.get()
    assert (result.host, result.unit, result.campaign, result.verdict) == (
        host, unit_a, campaign, "infected"
    )  # fmt: skip
    assert list(result.tasks.all()) == [task]  # the botnet loop's own task, not a new one
    assert CleanupTask.objects.count() == 1
    assert result.hits.filter(path__endswith="eicar.com", sha256__gt="").exists()
    assert not result.hits.filter(title__contains="EICAR-STANDARD").exists()

    cleanup.report_cleaned(CleanupTask.objects.get(), user=officer_a, tool="ClamAV", findings="x")
    support.clean(tree)
    code, out = _agent(tmp_path, capsys, "sweep", "--once", "--paths", str(tree), "--json")
    assert (code, json.loads(out)["verdict"]) == (0, "clean")
    task.refresh_from_db()
    assert task.status == CleanupTask.Status.VERIFIED


def test_an_infected_host_without_a_task_opens_one_for_its_address(
    live_server, unit_a, tmp_path, capsys
):
    host = factories.make_host(unit_a, hostname=socket.gethostname(), ipv4="192.0.2.11")
    support.rule_sets()
    tree = support.plant(tmp_path / "tree")
    _agent(tmp_path, capsys, "enroll", live_server.url, enrolment.create_token(unit_a).secret,
           "--no-software")  # fmt: skip
    code, _ = _agent(tmp_path, capsys, "sweep", "--once", "--paths", str(tree))
    assert code == 1
    task = CleanupTask.objects.get()
    assert (task.unit, task.host, task.ip) == (unit_a, host, "192.0.2.11")
    assert list(Result.objects.get().tasks.all()) == [task]


def test_a_result_changed_after_signing_is_refused_and_nothing_is_stored(
    live_server, unit_a, tmp_path, capsys
):
    factories.make_host(unit_a, hostname=socket.gethostname(), ipv4="192.0.2.12")
    support.rule_sets()
    tree = support.plant(tmp_path / "tree")
    _agent(tmp_path, capsys, "enroll", live_server.url, enrolment.create_token(unit_a).secret,
           "--no-software")  # fmt: skip
    out = tmp_path / "result.json"
    _agent(tmp_path, capsys, "sweep", "--once", "--paths", str(tree), "--out", str(out))
    envelope = json.loads(out.read_text())
    tampered = envelope["body"].replace('"score": 100', '"score": 0')
    assert tampered != envelope["body"]
    envelope["body"] = tampered
    from citysoc_agent.client import ServerError, post

    with pytest.raises(ServerError, match="HTTP 403"):
        post(live_server.url, "/api/agent/results/", envelope)
    assert Result.objects.count() == 0
