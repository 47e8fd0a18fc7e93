import pytest

from citysoc.intel import formats
from citysoc.intel.formats import blocklist_de
from tests.intel.formats import support


def test_family_is_the_list_name_from_the_file_name():
    parsed = blocklist_de.parse(support.fixture("blocklist_de/ssh.txt"), "ssh.txt")
    support.assert_counts(parsed, entries=4, rejected=0, skipped=1)
    assert [(e.row, e.value, e.family) for e in parsed.entries][-2:] == [
        (4, "203.0.113.254", "ssh"),
        (5, "2001:db8::22", "ssh"),
    ]


def test_list_names_from_the_usual_file_names():
    assert blocklist_de.list_name("blocklist_apache.txt") == "apache"
    assert blocklist_de.list_name("imap.txt") == "imap"
    assert blocklist_de.list_name("notes.txt") == ""


@pytest.mark.samples
def test_the_real_imap_list():
    path = support.shared("blocklist-de/imap.txt")
    parsed = formats.parse(path.read_bytes(), path.name)
    assert parsed.format == "blocklist_de"
    support.assert_counts(parsed, entries=6, rejected=0, skipped=0)
    assert {e.family for e in parsed.entries} == {"imap"}


@pytest.mark.samples
def test_the_real_apache_list():
    path = support.shared("blocklist-de/blocklist_apache.txt")
    parsed = formats.parse(path.read_bytes(), path.name)
    assert parsed.format == "blocklist_de"
    support.assert_counts(parsed, entries=11218, rejected=0, skipped=0)
    assert all(e.family == "apache" for e in parsed.entries)
