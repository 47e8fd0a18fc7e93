"""The offline bundle round trip: download, run with Python alone, upload the result file."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from citysoc.sweep.models import Agent, Result
from tests import factories
from tests.sweep import support

pytest.importorskip("yara_x", reason="yara-x is not installed (pip install yara-x)")
pytestmark = pytest.mark.django_db


@pytest.fixture
def result_file(client_as, officer_a, unit_a, tmp_path):
    host = factories.make_host(unit_a, hostname="offline-pc", ipv4="192.0.2.30")
    support.botnet_list()
    support.rule_sets()
    response = client_as(officer_a).post(f"/sweep/sweep-hosts/{host.pk}/bundle/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    bundle = tmp_path / "citysoc-sweep.zip"
    bundle.write_bytes(response.content)
    tree = support.plant(tmp_path / "tree")
    out = tmp_path / "result.json"
    run = subprocess.run(
        [sys.executable, str(bundle), "--state", str(tmp_path / "st"), "sweep", "--once",
         "--paths", str(tree), "--out", str(out), "--json"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 1, run.stderr
    assert json.loads(run.stdout)["verdict"] == "infected"
    return host, out


def test_the_bundle_result_imports_with_the_cli_to_its_host(result_file, unit_a, capsys):
    from citysoc.cli import main

    host, out = result_file
    assert main(["import-sweep", str(out), "--json"]) == 1
    summary = json.loads(capsys.readouterr().out)
    assert (summary["host"], summary["unit"], summary["verdict"]) == (
        "offline-pc", unit_a.code, "infected"
    )  # fmt: skip
    result = Result.objects.get()
    assert (result.host, result.via, result.agent.status) == (host, "offline", Agent.Status.OFFLINE)
    assert result.tasks.get().ip == "192.0.2.30"
    assert main(["import-sweep", str(out), "--json"]) == 1  # the same file again: same result
    assert Result.objects.count() == 1


def test_the_bundle_result_uploads_on_the_page(result_file, client_as, officer_a):
    _, out = result_file
    with out.open("rb") as f:
        response = client_as(officer_a).post("/sweep/sweep-results/upload/", {"file": f})
    result = Result.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{result.pk}/")
    page = client_as(officer_a).get(response["Location"]).content.decode()
    assert "eicar.com" in page and "Suspicious_Reverse_Shell_Command" in page


def test_a_tampered_result_file_is_refused_everywhere(result_file, client_as, officer_a, capsys):
    from citysoc.cli import main

    _, out = result_file
    envelope = json.loads(out.read_text())
    envelope["body"] = envelope["body"].replace("eicar.com", "readme.txt")
    out.write_text(json.dumps(envelope))
    assert main(["import-sweep", str(out)]) == 2
    assert "refused" in capsys.readouterr().err
    with out.open("rb") as f:
        response = client_as(officer_a).post("/api/sweep-results/", {"file": f})
    assert response.status_code == 400
    assert not Result.objects.exists()


def test_another_units_officer_cannot_upload_or_bundle_a_host(result_file, client_as, officer_b):
    host, out = result_file
    with out.open("rb") as f:
        response = client_as(officer_b).post("/api/sweep-results/", {"file": f})
    assert response.status_code == 400 and not Result.objects.exists()
    assert client_as(officer_b).post(f"/sweep/sweep-hosts/{host.pk}/bundle/").status_code == 404
