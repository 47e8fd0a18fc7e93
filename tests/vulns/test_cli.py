"""`citysoc import-scan`: the JSON keys, exit codes 0/1/2, a dry run saves nothing."""

from __future__ import annotations

import json

import pytest

from citysoc import cli
from citysoc.vulns.models import Finding, Scan
from tests import factories
from tests.vulns.support import FIXTURES

pytestmark = pytest.mark.django_db

KEYS = {
    "tool",
    "findings",
    "new",
    "still_open",
    "mitigated",
    "reopened",
    "hosts",
    "unknown_hosts",
    "rejected",
    "seconds",
}
VULNERS = FIXTURES / "nmap" / "vulners.xml"


def _run(capsys, *args):
    code = cli.main(["import-scan", *map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_summary_with_exactly_the_documented_keys(capsys):
    unit = factories.make_unit("W1")
    factories.make_host(unit, hostname="web", ipv4="192.0.2.10")
    code, out, _ = _run(capsys, VULNERS, "--unit", "W1", "--json")
    summary = json.loads(out)
    assert code == 0
    assert set(summary) == KEYS
    assert (summary["tool"], summary["findings"], summary["new"], summary["hosts"]) == (
        "nmap",
        3,
        3,
        1,
    )
    assert summary["unknown_hosts"] == []
    again = json.loads(_run(capsys, VULNERS, "--unit", "W1", "--json")[1])
    assert (again["new"], again["still_open"]) == (0, 3)


def test_dry_run_counts_and_saves_nothing(capsys):
    code, out, _ = _run(capsys, FIXTURES / "nmap" / "nmap_multiple_port.xml", "--dry-run", "--json")
    assert code == 0
    assert json.loads(out)["findings"] == 13
    assert (Scan.objects.count(), Finding.objects.count()) == (0, 0)


def test_rejected_records_exit_1(capsys, tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_bytes(VULNERS.read_bytes().replace(b'portid="22"', b'portid="ssh"'))
    factories.make_unit("W1")
    code, out, _ = _run(capsys, bad, "--unit", "W1", "--json")
    assert code == 1
    assert json.loads(out)["rejected"] == 1
    assert Scan.objects.get().status == Scan.Status.PARTIAL


def test_unreadable_exit_2_and_nothing_saved(capsys, tmp_path):
    factories.make_unit("W1")
    cut = tmp_path / "cut.xml"
    cut.write_bytes(VULNERS.read_bytes()[:400])
    code, _, err = _run(capsys, cut, "--unit", "W1")
    assert code == 2
    assert "line" in err
    assert _run(capsys, tmp_path / "missing.xml", "--dry-run")[0] == 2
    other = tmp_path / "other.json"
    other.write_text("{}")
    code, _, err = _run(capsys, other, "--dry-run")
    assert code == 2 and "--tool" in err
    assert _run(capsys, VULNERS, "--unit", "NOPE")[0] == 2
    assert Scan.objects.count() == 0


BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    b"<NessusClientData_v2><Report>&c;</Report></NessusClientData_v2>"
)
EXTERNAL = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b"<OWASPZAPReport>&x;</OWASPZAPReport>"
)


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("bomb.nessus", BOMB, "DTD or entities"),
        ("external.xml", EXTERNAL, "DTD or entities"),
        ("cut.nessus", (FIXTURES / "nessus" / "two_hosts.nessus").read_bytes()[:900], "line"),
        ("cut.json", (FIXTURES / "grype" / "many_vulns4.json").read_bytes()[:2000], "line"),
        ("bad.csv", b'Plugin ID,Host,Name\n1,10.0.0.1,"open quote\n', "line 2"),
        ("garbage.bin", b"\x00\x01\x02 not a report", "--tool"),
        ("empty.json", b"", "--tool"),
    ],
)
def test_unreadable_reports_exit_2_say_why_and_save_nothing(capsys, tmp_path, name, content, says):
    factories.make_unit("W1")
    bad = tmp_path / name
    bad.write_bytes(content)
    code, out, err = _run(capsys, bad, "--unit", "W1", "--json")
    assert code == 2 and out == ""
    assert says in err and name in err
    assert (Scan.objects.count(), Finding.objects.count()) == (0, 0)


def test_empty_report_with_its_tool_is_an_empty_scan(capsys, tmp_path):
    factories.make_unit("W1")
    empty = tmp_path / "nuclei.jsonl"
    empty.write_bytes(b"")
    code, out, _ = _run(capsys, empty, "--tool", "nuclei", "--unit", "W1", "--json")
    assert code == 0 and json.loads(out)["findings"] == 0
    assert Scan.objects.get().tool == "nuclei"


@pytest.mark.parametrize(
    ("path", "tool", "findings"),
    [
        ("openvas/many_vuln.csv", "openvas", 4),
        ("nessus/nessus-template.csv", "nessus", 5),
        ("grype/many_vulns4.json", "grype", 9),
        ("nuclei/many_findings_new.json", "nuclei", 2),
        ("zap/0_zap_sample.xml", "zap", 4),
        ("osv/two_packages.json", "osv", 3),
        ("masscan/masscan_one_vuln.json", "masscan", 1),
    ],
)
def test_each_tool_detected_and_imported(capsys, path, tool, findings):
    factories.make_unit("W1")
    code, out, _ = _run(capsys, FIXTURES / path, "--unit", "W1", "--json")
    summary = json.loads(out)
    assert code == 0 and (summary["tool"], summary["findings"]) == (tool, findings)
    assert Finding.objects.count() == summary["new"] > 0


def test_text_output_lists_unknown_hosts(capsys):
    factories.make_unit("W1")
    code, out, _ = _run(capsys, VULNERS, "--unit", "W1")
    assert code == 0 and "192.0.2.10" in out and "3 findings" in out
    assert len(Scan.objects.get().file_sha256) == 64


def test_unknown_tool_name_refused(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["import-scan", str(VULNERS), "--tool", "nope", "--dry-run"])
    assert exit_.value.code == 2
    assert "nessus" in capsys.readouterr().err
