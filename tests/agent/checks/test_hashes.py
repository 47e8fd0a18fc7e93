import pytest
from citysoc_agent.checks import hashes
from citysoc_agent.checks.base import Context, Skip

from tests.agent.support import EICAR, item, loki_lines


def _prepared():
    listed = [{"hash": h, "description": d} for h, d in loki_lines("hashes/hashes.txt")]
    return hashes.prepare(Context(job={"hashes": listed}))


def test_it_finds_a_file_whose_sha256_is_listed():
    found = hashes.run(_prepared(), item("/srv/up/eicar.com", EICAR))
    assert [(f.score, f.title, f.path) for f in found] == [
        (100, "listed hash: EICAR test file", "/srv/up/eicar.com")
    ]


def test_it_finds_a_file_by_md5_too():
    data = b"dropper"
    md5 = item("x", data).md5
    prepared = hashes.prepare(Context(job={"hashes": [{"hash": md5.upper()}]}))
    assert hashes.run(prepared, item("/srv/x", data))[0].rule == md5


def test_an_unlisted_file_gives_nothing():
    assert hashes.run(_prepared(), item("/srv/up/readme.txt", b"hello")) == []


def test_it_skips_when_the_job_lists_no_hashes():
    with pytest.raises(Skip, match="no hashes"):
        hashes.prepare(Context(job={"hashes": [{"hash": "not-a-hash"}]}))
