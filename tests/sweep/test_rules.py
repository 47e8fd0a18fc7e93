"""The city adds rule sets from files: checked line by line, versioned, carried by new jobs."""

from __future__ import annotations

import json

import pytest

from citysoc.cli import main
from citysoc.sweep import rules
from citysoc.sweep.models import RuleSet
from tests.conftest import FIXTURES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

YARA = (FIXTURES / "agent" / "yara" / "rules.yar").read_text(encoding="utf-8")


def test_a_yara_file_becomes_the_next_version_of_its_name():
    first = rules.add_version("city-yara", "yara", YARA)
    second = rules.add_version("city-yara", "yara", YARA + "\n// reviewed\n")
    assert (first.rule_set.version, second.rule_set.version) == (1, 2)
    assert first.rules >= 1 and second.rule_set.sha256 != first.rule_set.sha256


def test_rules_that_do_not_compile_are_refused_and_nothing_is_saved():
    with pytest.raises(rules.RuleError, match="do not compile"):
        rules.add_version("city-yara", "yara", "rule broken { condition: nonsense_name }")
    assert not RuleSet.objects.filter(name="city-yara").exists()


def test_a_hash_list_names_the_bad_line():
    text = "# city list\n44d88612fea8a8f36de82e1278abb02f;EICAR\nnot-a-hash;oops\n"
    with pytest.raises(rules.RuleError, match="line 3"):
        rules.add_version("city-hashes", "hashes", text)
    assert rules.add_version("city-hashes", "hashes", text.rsplit("\n", 2)[0]).rules == 1


def test_file_name_iocs_need_a_valid_regex_and_a_score():
    assert rules.add_version("names", "filenames", r"\\temp\\svch0st\.exe;80").rules == 1
    with pytest.raises(rules.RuleError, match="line 1: the pattern"):
        rules.add_version("names", "filenames", "([unclosed;80")
    with pytest.raises(rules.RuleError, match="REGEX;SCORE"):
        rules.add_version("names", "filenames", "svch0st.exe")


def test_a_file_of_comments_only_is_refused():
    with pytest.raises(rules.RuleError, match="no rule"):
        rules.add_version("empty", "hashes", "# nothing yet\n\n")


def test_the_command_line_adds_a_version_and_refuses_a_bad_file(tmp_path, capsys):
    path = tmp_path / "city.yar"
    path.write_text(YARA, encoding="utf-8")
    args = ["sweep-rules", "add", str(path), "--name", "city-yara", "--kind", "yara", "--json"]
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)["version"] == 1
    bad = tmp_path / "bad.txt"
    bad.write_text("zzz;nope\n", encoding="utf-8")
    assert main(["sweep-rules", "add", str(bad), "--name", "h", "--kind", "hashes"]) == 2
    err = capsys.readouterr().err
    assert "line 1" in err and "Nothing was saved" in err
    assert main(["sweep-rules", "list"]) == 0
    assert "city-yara" in capsys.readouterr().out
