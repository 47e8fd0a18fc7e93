"""`citysoc source create | list | rotate`."""

from __future__ import annotations

import json

import pytest

from citysoc import cli
from citysoc.alerts.models import Alert, AlertSource
from tests.alerts.sources import support

pytestmark = pytest.mark.django_db


def post(client, kind: str, body: bytes, token: str):
    return client.post(
        f"/api/alerts/intake/{kind}/",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_create_prints_a_working_token_last_with_where_to_paste_it(
    client, unit_a, capsys, settings
):
    settings.SITE_URL = "https://soc.example.gov.vn"
    assert cli.main(["source", "create", "--unit", "ward-a", "--kind", "wazuh"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    token = lines[-1]
    assert token.startswith("cs_al_")
    assert "https://soc.example.gov.vn/api/alerts/intake/wazuh/" in "\n".join(lines[:-1])
    response = post(client, "wazuh", support.fixture("wazuh/alerts.json"), token)
    assert response.status_code == 202
    assert set(Alert.objects.values_list("unit__code", flat=True)) == {"ward-a"}


def test_create_as_json_with_a_heartbeat_and_senders(unit_a, capsys):
    argv = ["source", "create", "--unit", "ward-a", "--kind", "syslog", "--name", "FortiGate"]
    argv += ["--sender-ip", "192.0.2.1", "--sender-ip", "192.0.2.0/28"]
    argv += ["--expected-every", "15", "--json"]
    assert cli.main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["name"], data["expected_every_minutes"]) == ("FortiGate", 15)
    assert data["sender_ips"] == ["192.0.2.1", "192.0.2.0/28"]
    source = AlertSource.objects.get(pk=data["id"])
    assert source.expected_every.total_seconds() == 900


def test_unknown_unit_and_kind_say_what_exists(unit_a, unit_b, capsys):
    assert cli.main(["source", "create", "--unit", "ward-z", "--kind", "wazuh"]) == 2
    err = capsys.readouterr().err
    assert "no unit has the code 'ward-z'" in err and "ward-a" in err and "ward-b" in err
    assert cli.main(["source", "create", "--unit", "ward-a", "--kind", "nagios"]) == 2
    err = capsys.readouterr().err
    assert "'nagios' is not a kind" in err and "alertmanager" in err
    assert cli.main(["source", "create", "--unit", "ward-a", "--kind", "syslog"]) == 2
    assert "--sender-ip" in capsys.readouterr().err
    assert not AlertSource.objects.exists()


def test_list_never_prints_tokens_and_filters_by_unit(unit_a, unit_b, capsys):
    cli.main(["source", "create", "--unit", "ward-a", "--kind", "zeek", "--name", "Zeek A"])
    token_a = capsys.readouterr().out.strip().splitlines()[-1]
    cli.main(["source", "create", "--unit", "ward-b", "--kind", "zeek", "--name", "Zeek B"])
    capsys.readouterr()
    assert cli.main(["source", "list", "--unit", "ward-a"]) == 0
    out = capsys.readouterr().out
    assert "Zeek A" in out and "Zeek B" not in out and token_a not in out
    assert token_a[:12] in out  # the prefix, to tell tokens apart
    assert cli.main(["source", "list", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 2


def test_rotate_replaces_the_token(client, unit_a, capsys):
    cli.main(["source", "create", "--unit", "ward-a", "--kind", "generic"])
    old = capsys.readouterr().out.strip().splitlines()[-1]
    source = AlertSource.objects.get()
    assert cli.main(["source", "rotate", str(source.pk)]) == 0
    out = capsys.readouterr().out
    new = out.strip().splitlines()[-1]
    assert new != old and "no longer works" in out
    body = b'{"severity": "low", "summary": "rotated"}'
    assert post(client, "generic", body, old).status_code == 401
    assert post(client, "generic", body, new).status_code == 202
    assert cli.main(["source", "rotate", "99999"]) == 2
    assert "no alert source has the id 99999" in capsys.readouterr().err
