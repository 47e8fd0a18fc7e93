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
