from citysoc import cli


def test_token_create_prints_a_token_that_opens_the_api(client, officer_a, unit_a, capsys):
    assert cli.main(["token", "create", "--user", "officer_a"]) == 0
    token = capsys.readouterr().out.strip()
    response = client.get("/api/units/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert [u["code"] for u in response.json()["results"]] == ["ward-a"]


def test_token_create_for_an_unknown_user_says_so(db, capsys):
    assert cli.main(["token", "create", "--user", "nobody"]) == 2
    assert "no user named 'nobody'" in capsys.readouterr().err


def test_any_management_command_runs_through_citysoc(db, capsys):
    assert cli.main(["showmigrations", "inventory"]) == 0
    assert "0001_initial" in capsys.readouterr().out


def test_a_revoked_token_no_longer_opens_the_api(client, officer_a, unit_a, capsys):
    cli.main(["token", "create", "--user", "officer_a"])
    token = capsys.readouterr().out.strip()
    assert cli.main(["token", "revoke", token[:10]]) == 0
    assert "revoked token" in capsys.readouterr().out
    assert client.get("/api/units/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
