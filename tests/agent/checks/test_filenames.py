import pytest
from citysoc_agent.checks import filenames
from citysoc_agent.checks.base import Context, Skip

from tests.agent.support import item, loki_lines


def _prepared():
    iocs = [{"regex": r, "score": int(s)} for r, s in loki_lines("filenames/filename-iocs.txt")]
    return filenames.prepare(Context(job={"filename_iocs": iocs}))


def test_it_matches_a_windows_path_case_insensitively():
    found = filenames.run(_prepared(), item("C:\\Users\\Public\\MimiKatz.exe", b"x"))
    assert [(f.score, f.path) for f in found] == [(90, "C:\\Users\\Public\\MimiKatz.exe")]


def test_it_matches_a_hidden_cache_script_with_its_own_score():
    found = filenames.run(_prepared(), item("/home/an/.cache/abcdefgh.sh", b"x"))
    assert [f.score for f in found] == [60]


def test_an_ordinary_name_gives_nothing():
    assert filenames.run(_prepared(), item("/home/an/report.docx", b"x")) == []


def test_a_bad_regex_from_the_server_is_skipped_not_fatal():
    with pytest.raises(Skip):
        filenames.prepare(Context(job={"filename_iocs": [{"regex": "(unclosed"}]}))
